package org.healthcode.analyst.tables;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes tables as Parquet with an in-process DuckDB (no server, no files of its own): each table's CSV is read with
 * the column types the table declares (whole numbers BIGINT, the rest VARCHAR, so a district code like 440106 stays
 * text) and copied out in insertion order on one thread, so the same table gives the same file.
 */
public final class ParquetFiles {
    private ParquetFiles() {}

    /** Writes {@code dir/<name>.parquet} from {@code csv} (the table's own CSV). */
    public static Path write(Table table, Path csv, Path dir) throws IOException {
        Path out = dir.resolve(table.name() + ".parquet");
        List<String> types = new ArrayList<>();
        for (int i = 0; i < table.columns().size(); i++) {
            types.add("'" + table.columns().get(i) + "': '" + (table.isNumeric(i) ? "BIGINT" : "VARCHAR") + "'");
        }
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
                Statement s = c.createStatement()) {
            s.execute("SET threads = 1");
            s.execute("SET preserve_insertion_order = true");
            s.execute("COPY (SELECT * FROM read_csv(" + literal(csv) + ", header = true, auto_detect = false, "
                    + "columns = {" + String.join(", ", types) + "})) TO " + literal(out)
                    + " (FORMAT parquet, COMPRESSION zstd)");
        } catch (SQLException e) {
            throw new IOException("writing " + out + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static String literal(Path p) {
        return "'" + p.toAbsolutePath().toString().replace("'", "''") + "'";
    }
}
