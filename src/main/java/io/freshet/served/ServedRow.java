package io.freshet.served;

import io.freshet.model.Status;
import java.util.Map;

/**
 * One entity's row as the model received it: per column of the selection the value served (after
 * policies); for a row drawn for replay, also each value's status and the entity's keys by join key
 * (otherwise null and empty).
 */
public record ServedRow(Map<String, Object> entity, Object[] values, Status[] statuses) {}
