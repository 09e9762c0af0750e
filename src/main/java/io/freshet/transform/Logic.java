package io.freshet.transform;

import io.freshet.transform.Nodes.BoolNode;
import io.freshet.transform.Nodes.DoubleNode;
import io.freshet.transform.Nodes.IntNode;
import io.freshet.transform.Nodes.StringNode;

/**
 * CEL's boolean operators as compiled nodes. {@code &&} and {@code ||} are commutative over
 * failures: a side that fails does not fail the whole when the other side alone decides it ({@code
 * false && 1 / 0 > 0} and {@code 1 / 0 > 0 && false} are both false).
 */
final class Logic {

  private Logic() {}

  static BoolNode and(BoolNode a, BoolNode b) {
    return row -> {
      ArithmeticException failed = null;
      try {
        if (!a.eval(row)) {
          return false;
        }
      } catch (ArithmeticException e) {
        failed = e;
      }
      if (!b.eval(row)) {
        return false;
      }
      if (failed != null) {
        throw failed;
      }
      return true;
    };
  }

  static BoolNode or(BoolNode a, BoolNode b) {
    return row -> {
      ArithmeticException failed = null;
      try {
        if (a.eval(row)) {
          return true;
        }
      } catch (ArithmeticException e) {
        failed = e;
      }
      if (b.eval(row)) {
        return true;
      }
      if (failed != null) {
        throw failed;
      }
      return false;
    };
  }

  // ?: evaluates its condition, then the one branch it picks.

  static IntNode choose(BoolNode condition, IntNode then, IntNode otherwise) {
    return row -> condition.eval(row) ? then.eval(row) : otherwise.eval(row);
  }

  static DoubleNode choose(BoolNode condition, DoubleNode then, DoubleNode otherwise) {
    return row -> condition.eval(row) ? then.eval(row) : otherwise.eval(row);
  }

  static BoolNode choose(BoolNode condition, BoolNode then, BoolNode otherwise) {
    return row -> condition.eval(row) ? then.eval(row) : otherwise.eval(row);
  }

  static StringNode choose(BoolNode condition, StringNode then, StringNode otherwise) {
    return row -> condition.eval(row) ? then.eval(row) : otherwise.eval(row);
  }

  // Membership in a list literal: every element is evaluated (a failing one fails the whole, as
  // when the interpreter builds the list) before any is compared.

  static BoolNode anyEqual(IntNode value, IntNode[] list) {
    if (list.length == 1) {
      return row -> value.eval(row) == list[0].eval(row);
    }
    return row -> {
      long v = value.eval(row);
      boolean found = false;
      for (IntNode element : list) {
        found |= element.eval(row) == v;
      }
      return found;
    };
  }

  /** Equal values, or NaN in a list that holds a NaN. */
  static BoolNode anyEqual(DoubleNode value, DoubleNode[] list) {
    return row -> {
      double v = value.eval(row);
      boolean found = false;
      for (DoubleNode element : list) {
        double x = element.eval(row);
        found |= x == v || (Double.isNaN(x) && Double.isNaN(v));
      }
      return found;
    };
  }

  static BoolNode anyEqual(BoolNode value, BoolNode[] list) {
    if (list.length == 1) {
      return row -> value.eval(row) == list[0].eval(row);
    }
    return row -> {
      boolean v = value.eval(row);
      boolean found = false;
      for (BoolNode element : list) {
        found |= element.eval(row) == v;
      }
      return found;
    };
  }

  static BoolNode anyEqual(StringNode value, StringNode[] list) {
    if (list.length == 1) {
      return row -> value.eval(row).equals(list[0].eval(row));
    }
    return row -> {
      String v = value.eval(row);
      boolean found = false;
      for (StringNode element : list) {
        found |= element.eval(row).equals(v);
      }
      return found;
    };
  }
}
