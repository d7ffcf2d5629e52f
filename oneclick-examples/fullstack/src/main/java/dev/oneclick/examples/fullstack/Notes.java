package dev.oneclick.examples.fullstack;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** Where the notes are kept: PostgreSQL when the task has a database ({@code DB_*}), else this process's memory. */
interface Notes {
    /** One note. */
    record Note(long id, String text, Instant createdAt) {
    }

    List<Note> list() throws SQLException;

    Note add(String text) throws SQLException;

    /** {@code postgres} or {@code memory}, for the health answer. */
    String storage();

    /** PostgreSQL from the variables oneclick sets when a database is asked for; memory without them. */
    static Notes fromEnvironment(Map<String, String> env) throws SQLException {
        String host = env.get("DB_HOST");
        if (host == null || host.isBlank()) {
            return new Memory();
        }
        String url = "jdbc:postgresql://" + host + ":" + env.getOrDefault("DB_PORT", "5432") + "/"
                + env.getOrDefault("DB_NAME", "app");
        Postgres p = new Postgres(url, env.get("DB_USERNAME"), env.get("DB_PASSWORD"));
        p.createTable();
        return p;
    }

    /** Notes in memory: lost when the process ends. */
    final class Memory implements Notes {
        private final List<Note> notes = new CopyOnWriteArrayList<>();
        private final AtomicLong ids = new AtomicLong();

        @Override
        public List<Note> list() {
            return List.copyOf(notes);
        }

        @Override
        public Note add(String text) {
            Note n = new Note(ids.incrementAndGet(), text, Instant.now());
            notes.add(n);
            return n;
        }

        @Override
        public String storage() {
            return "memory";
        }
    }

    /** Notes in the table {@code notes}; a connection per request, so a database restart is survived. */
    final class Postgres implements Notes {
        private final String url;
        private final String user;
        private final String password;

        Postgres(String url, String user, String password) {
            this.url = url;
            this.user = user;
            this.password = password;
        }

        private Connection connect() throws SQLException {
            return DriverManager.getConnection(url, user, password);
        }

        void createTable() throws SQLException {
            try (Connection c = connect(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS notes (id BIGSERIAL PRIMARY KEY, text VARCHAR(500) NOT NULL, "
                        + "created_at TIMESTAMPTZ NOT NULL DEFAULT now())");
            }
        }

        @Override
        public List<Note> list() throws SQLException {
            List<Note> out = new ArrayList<>();
            try (Connection c = connect(); Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("SELECT id, text, created_at FROM notes ORDER BY id")) {
                while (r.next()) {
                    out.add(new Note(r.getLong(1), r.getString(2), r.getTimestamp(3).toInstant()));
                }
            }
            return out;
        }

        @Override
        public Note add(String text) throws SQLException {
            try (Connection c = connect(); PreparedStatement p = c.prepareStatement(
                    "INSERT INTO notes (text) VALUES (?) RETURNING id, created_at")) {
                p.setString(1, text);
                try (ResultSet r = p.executeQuery()) {
                    r.next();
                    return new Note(r.getLong(1), text, r.getTimestamp(2).toInstant());
                }
            }
        }

        @Override
        public String storage() {
            return "postgres";
        }
    }
}
