package io.freshet.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.freshet.model.ApiException;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Strict JSON for request bodies: duplicate keys, trailing content, bare NaN/Infinity and malformed
 * UTF-8 are refused as {@code bad_request}, and a number keeps its exact token type so that a
 * too-large integer is seen as such rather than rounded.
 */
public final class JsonBodies {

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .disable(JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS)
          .build();

  private JsonBodies() {}

  public static JsonNode parseObject(Buffer body) {
    if (body == null || body.length() == 0) {
      throw ApiException.badRequest("the request body is empty");
    }
    JsonNode node = parse(body.getBytes(), "the request body");
    if (!node.isObject()) {
      throw ApiException.badRequest("the request body must be a JSON object");
    }
    return node;
  }

  /** Refuses a field the request format does not define, so a typo is never ignored. */
  public static void allowOnly(JsonNode object, Set<String> fields) {
    for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!fields.contains(name)) {
        throw ApiException.badRequest("unknown field '" + name + "'");
      }
    }
  }

  /** One JSON value per non-blank line, each named by its line number in errors. */
  public static List<JsonNode> parseLines(Buffer body) {
    List<JsonNode> lines = new ArrayList<>();
    if (body == null) {
      return lines;
    }
    byte[] bytes = body.getBytes();
    int start = 0;
    int lineNumber = 1;
    for (int i = 0; i <= bytes.length; i++) {
      if (i == bytes.length || bytes[i] == '\n') {
        int end = i;
        if (end > start && bytes[end - 1] == '\r') {
          end--;
        }
        if (!isBlank(bytes, start, end)) {
          byte[] line = java.util.Arrays.copyOfRange(bytes, start, end);
          lines.add(parse(line, "line " + lineNumber));
        }
        start = i + 1;
        lineNumber++;
      }
    }
    return lines;
  }

  /** One NDJSON line, null when it is blank; {@code lineNumber} (from 1) names it in errors. */
  public static JsonNode parseLine(Buffer line, long lineNumber) {
    byte[] bytes = line.getBytes();
    if (isBlank(bytes, 0, bytes.length)) {
      return null;
    }
    return parse(bytes, "line " + lineNumber);
  }

  /** Reads a value token by token, without building a tree; it throws what the JSON is not. */
  public interface TokenReader {
    void read(JsonParser json) throws IOException;
  }

  /**
   * Hands one non-blank NDJSON line to {@code reader} through a parser as strict as {@link
   * #parseLine}'s, then refuses anything after the value. Answers false for a blank line.
   */
  public static boolean readLine(Buffer line, long lineNumber, TokenReader reader) {
    byte[] bytes = line.getBytes();
    if (isBlank(bytes, 0, bytes.length)) {
      return false;
    }
    try (JsonParser json = MAPPER.createParser(bytes)) {
      reader.read(json);
      if (json.nextToken() != null) {
        throw ApiException.badRequest("line " + lineNumber + " holds more than one JSON value");
      }
      return true;
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest("line " + lineNumber + " is not valid JSON" + where(e));
    } catch (IOException e) {
      throw ApiException.badRequest("line " + lineNumber + " could not be read: " + e.getMessage());
    }
  }

  /**
   * Hands a whole request body to {@code reader} through the same strict parser, then refuses
   * anything after the value: for a body whose parts are read as a stream rather than a tree.
   */
  public static void readBody(Buffer body, TokenReader reader) {
    if (body == null || body.length() == 0) {
      throw ApiException.badRequest("the request body is empty");
    }
    try (JsonParser json = MAPPER.createParser(body.getBytes())) {
      reader.read(json);
      if (json.nextToken() != null) {
        throw ApiException.badRequest("the request body holds more than one JSON value");
      }
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest("the request body is not valid JSON" + where(e));
    } catch (IOException e) {
      throw ApiException.badRequest("the request body could not be read: " + e.getMessage());
    }
  }

  /** Whether a line holds only spaces, tabs and a carriage return. */
  public static boolean isBlank(Buffer line) {
    for (int i = 0; i < line.length(); i++) {
      byte b = line.getByte(i);
      if (b != ' ' && b != '\t' && b != '\r') {
        return false;
      }
    }
    return true;
  }

  private static boolean isBlank(byte[] bytes, int start, int end) {
    for (int i = start; i < end; i++) {
      if (bytes[i] != ' ' && bytes[i] != '\t' && bytes[i] != '\r') {
        return false;
      }
    }
    return true;
  }

  private static String where(JsonProcessingException e) {
    return e.getLocation() == null
        ? ""
        : " (line "
            + e.getLocation().getLineNr()
            + ", column "
            + e.getLocation().getColumnNr()
            + ")";
  }

  private static JsonNode parse(byte[] bytes, String what) {
    try {
      JsonNode node = MAPPER.readTree(bytes);
      if (node == null || node.isMissingNode()) {
        throw ApiException.badRequest(what + " holds no JSON value");
      }
      return node;
    } catch (JsonProcessingException e) {
      // Jackson's own wording names its configuration switches; the client gets the place only.
      throw ApiException.badRequest(what + " is not valid JSON" + where(e));
    } catch (IOException e) {
      throw ApiException.badRequest(what + " could not be read: " + e.getMessage());
    }
  }
}
