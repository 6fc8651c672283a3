package io.cursus.api.mapping;

import io.cursus.api.mapping.spi.EventShape;
import java.lang.reflect.Method;
import java.util.List;

/**
 * One mapped event: its schema, where it was declared, and how to call or build it.
 *
 * @param where the declaration's name for messages: {@code ParcelEvents.delivered}
 * @param nullable per parameter, whether null is allowed
 * @param method the interface method (interface declarations only)
 * @param idType the aggregate id parameter's type (interface declarations only)
 * @param eventClass the event class (family declarations only)
 * @param shape how to read and build the event class (family declarations only)
 */
record Definition(
    EventSchema schema,
    String where,
    List<Boolean> nullable,
    Method method,
    Class<?> idType,
    Class<?> eventClass,
    EventShape shape) {}
