package io.freshet.pit;

import io.freshet.model.Cell;

/** One view joined against a request's label rows: the cell of any selected column at any row. */
interface ViewJoin {

  /**
   * The cell of the view's {@code column}th selected feature at label row {@code row}, whose time
   * is {@code atMicros}, with the view's {@code on_rotten} applied or not.
   */
  Cell cell(int column, int row, long atMicros, boolean applyOnRotten);
}
