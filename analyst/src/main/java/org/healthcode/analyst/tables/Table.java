package org.healthcode.analyst.tables;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A result table: a name, column names and rows of text or whole numbers, written as CSV (RFC 4180, LF line ends,
 * a header line) and from that as Parquet ({@link ParquetFiles}).
 */
public record Table(String name, List<String> columns, List<List<Object>> rows) {

    public static Table of(String name, String... columns) {
        return new Table(name, List.of(columns), new ArrayList<>());
    }

    public Table add(Object... values) {
        if (values.length != columns.size()) {
            throw new IllegalArgumentException(
                    name + ": " + values.length + " values for " + columns.size() + " columns");
        }
        rows.add(List.of(values));
        return this;
    }

    /** Writes {@code dir/<name>.csv} and returns it. */
    public Path writeCsv(Path dir) throws IOException {
        Path file = dir.resolve(name + ".csv");
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(String.join(",", columns.stream().map(Table::field).toList()));
            w.write('\n');
            for (List<Object> row : rows) {
                w.write(String.join(
                        ",", row.stream().map(v -> field(String.valueOf(v))).toList()));
                w.write('\n');
            }
        }
        return file;
    }

    /** Whether the column holds whole numbers (the Parquet type follows). */
    public boolean isNumeric(int column) {
        return !rows.isEmpty()
                && rows.stream().allMatch(r -> r.get(column) instanceof Long || r.get(column) instanceof Integer);
    }

    static String field(String v) {
        if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
            return '"' + v.replace("\"", "\"\"") + '"';
        }
        return v;
    }
}
