package io.cursus.cassandra.internal;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.ProtocolVersion;
import com.datastax.oss.driver.api.core.cql.ColumnDefinitions;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.detach.AttachmentPoint;
import com.datastax.oss.driver.api.core.type.DataType;
import com.datastax.oss.driver.api.core.type.DataTypes;
import com.datastax.oss.driver.api.core.type.codec.registry.CodecRegistry;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A row as the driver hands it over: the columns of {@link Cql#EVENT_COLUMNS} (after any leading
 * ones), in that order, each its bytes as Cassandra sends them; read through the driver's own
 * getters and codecs.
 */
final class EncodedRow implements Row {

  private static final Map<String, DataType> TYPES =
      Map.of(
          "aggregate_type", DataTypes.TEXT,
          "aggregate_id", DataTypes.TEXT,
          "event_timestamp", DataTypes.TIMESTAMP,
          "stream_id", DataTypes.TEXT,
          "processing_id", DataTypes.TIMEUUID,
          "name", DataTypes.TEXT,
          "version", DataTypes.TEXT,
          "parameters", DataTypes.frozenMapOf(DataTypes.TEXT, DataTypes.TEXT),
          "characteristics", DataTypes.INT);

  private final List<String> names;
  private final List<@Nullable ByteBuffer> values;

  private EncodedRow(List<String> names, List<@Nullable ByteBuffer> values) {
    this.names = names;
    this.values = values;
  }

  static EncodedRow of(Map<String, @Nullable ByteBuffer> columns, String... leading) {
    List<String> names = new ArrayList<>(List.of(leading));
    names.addAll(Pattern.compile(", ").splitAsStream(Cql.EVENT_COLUMNS).toList());
    List<@Nullable ByteBuffer> values = new ArrayList<>();
    for (String name : names) {
      if (!TYPES.containsKey(name)) {
        throw new IllegalArgumentException("no type known for column " + name);
      }
      values.add(columns.get(name));
    }
    return new EncodedRow(names, values);
  }

  @Override
  public @Nullable ByteBuffer getBytesUnsafe(int i) {
    ByteBuffer value = values.get(i);
    return value == null ? null : value.duplicate();
  }

  @Override
  public int size() {
    return names.size();
  }

  @Override
  public DataType getType(int i) {
    return TYPES.get(names.get(i));
  }

  @Override
  public int firstIndexOf(String name) {
    int index = names.indexOf(name);
    if (index < 0) {
      throw new IllegalArgumentException(name + " is not a column of this row: " + names);
    }
    return index;
  }

  @Override
  public DataType getType(String name) {
    return getType(firstIndexOf(name));
  }

  @Override
  public int firstIndexOf(CqlIdentifier id) {
    return firstIndexOf(id.asInternal());
  }

  @Override
  public DataType getType(CqlIdentifier id) {
    return getType(firstIndexOf(id));
  }

  @Override
  public CodecRegistry codecRegistry() {
    return CodecRegistry.DEFAULT;
  }

  @Override
  public ProtocolVersion protocolVersion() {
    return ProtocolVersion.DEFAULT;
  }

  @Override
  public ColumnDefinitions getColumnDefinitions() {
    throw new UnsupportedOperationException("RowCodec reads columns by position only");
  }

  @Override
  public boolean isDetached() {
    return false;
  }

  @Override
  public void attach(AttachmentPoint attachmentPoint) {}

  @Override
  public String toString() {
    return "EncodedRow" + names;
  }
}
