package id.camelpayouts.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which writes survive a crash of the embedded H2 ledger, and how many flushes they cost. H2's
 * background writer is slowed to a minute here, so that what is on disk is only what the ledger
 * flushed; the crash is H2's SHUTDOWN IMMEDIATELY (the file closed without writing what is only in
 * memory), as when the gateway's process is killed.
 */
class DurableDataSourceTest {

    @TempDir
    Path dir;

    private JdbcDataSource h2() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:file:" + dir.resolve("ledger") + ";WRITE_DELAY=60000;DB_CLOSE_DELAY=-1");
        h2.setUser("sa");
        return h2;
    }

    @Test
    void aDurableWriteSurvivesACrashAndCarriesTheDeferredWritesCommittedBeforeIt() throws Exception {
        DurableDataSource ledger = DurableDataSource.of(h2());
        execute(ledger, "CREATE TABLE t (name VARCHAR(20))");
        Durability.deferred(() -> execute(ledger, "INSERT INTO t VALUES ('lease')"));
        execute(ledger, "INSERT INTO t VALUES ('claim')");
        Durability.deferred(() -> execute(ledger, "INSERT INTO t VALUES ('outcome')"));

        crash(ledger);

        assertThat(names(h2())).containsExactly("lease", "claim");
    }

    @Test
    void withoutTheLedgerTheSameWritesAreLostToTheCrash() throws Exception {
        // the test's own control: H2 with this URL keeps nothing that was not flushed
        DataSource plain = h2();
        execute(plain, "CREATE TABLE t (name VARCHAR(20))");
        execute(plain, "CHECKPOINT");
        execute(plain, "INSERT INTO t VALUES ('claim')");

        crash(plain);

        assertThat(names(h2())).isEmpty();
    }

    @Test
    void workersCommittingTogetherShareFlushesAndEachFindsItsWriteOnDisk() throws Exception {
        int workers = 16;
        int each = 25;
        HikariDataSource pool = new HikariDataSource();
        pool.setDataSource(h2());
        pool.setMaximumPoolSize(10);
        DurableDataSource ledger = DurableDataSource.of(pool);
        execute(ledger, "CREATE TABLE t (name VARCHAR(20))");
        long flushesBefore = ledger.flushes();
        ExecutorService threads = Executors.newFixedThreadPool(workers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            int worker = w;
            done.add(threads.submit(() -> {
                start.await();
                for (int i = 0; i < each; i++) {
                    execute(ledger, "INSERT INTO t VALUES ('w" + worker + "-" + i + "')");
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> worker : done) {
            worker.get(60, TimeUnit.SECONDS);
        }
        threads.shutdown();
        long flushes = ledger.flushes() - flushesBefore;
        System.out.printf("group flush: %d durable writes by %d workers, %d flushes%n", workers * each, workers,
                flushes);
        assertThat(flushes).isPositive().isLessThanOrEqualTo(workers * each);
        assertThat(ledger.durableWrites()).isGreaterThanOrEqualTo(workers * each);

        crash(pool);
        pool.close();

        assertThat(names(h2())).hasSize(workers * each);
    }

    @Test
    void readsWaitForNoFlush() throws Exception {
        DurableDataSource ledger = DurableDataSource.of(h2());
        execute(ledger, "CREATE TABLE t (name VARCHAR(20))");
        long before = ledger.flushes();
        for (int i = 0; i < 10; i++) {
            names(ledger);
        }
        assertThat(ledger.flushes()).isEqualTo(before);
    }

    @Test
    void onPostgresqlDeferredWorkCommitsAsynchronouslyAndTheConnectionIsGivenBackAsItWas() throws Exception {
        assumeTrue(PostgresTestDatabase.url() != null, "PAYOUTS_TEST_PG_URL not set");
        try (HikariDataSource postgres = PostgresTestDatabase.emptied()) {
            postgres.setMaximumPoolSize(1); // the same connection each time
            DurableDataSource ledger = DurableDataSource.of(postgres);
            String inside = Durability.deferred(() -> setting(ledger));
            assertThat(inside).isEqualTo("off");
            assertThat(setting(ledger)).isEqualTo("on");
            assertThat(setting(postgres)).isEqualTo("on");
            // deferred work in a transaction of its own (the ledger's compare-and-set), committed or not
            for (boolean commit : new boolean[] {true, false}) {
                Durability.deferred(() -> {
                    try (Connection db = ledger.getConnection(); Statement statement = db.createStatement()) {
                        db.setAutoCommit(false);
                        statement.execute("SELECT 1");
                        try (ResultSet row = statement.executeQuery("SHOW synchronous_commit")) {
                            row.next();
                            assertThat(row.getString(1)).as("inside the transaction").isEqualTo("off");
                        }
                        if (commit) {
                            db.commit();
                        }
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                });
                assertThat(setting(postgres)).as("after a transaction, committed: " + commit).isEqualTo("on");
            }
        }
    }

    /**
     * A deferred session whose synchronous_commit cannot be reset must not go back to the pool as it
     * is (the next borrower's durable commits would be asynchronous): its physical connection is
     * closed and the failure reported. A stand-in for a PostgreSQL pool, whose RESET fails.
     */
    @Test
    void aSessionThatCannotBeResetIsClosedForGoodNotGivenBackAsynchronous() throws Exception {
        List<String> physical = new ArrayList<>(); // what happened to the one physical connection
        Answer postgres = (method, args) -> switch (method) {
            case "getMetaData" -> fake(java.sql.DatabaseMetaData.class,
                    (m, a) -> "getDatabaseProductName".equals(m) ? "PostgreSQL" : null);
            case "createStatement" -> fake(Statement.class, (m, a) -> {
                if ("execute".equals(m) && ((String) a[0]).startsWith("RESET")) {
                    throw new SQLException("connection reset by peer");
                }
                return null;
            });
            case "getAutoCommit" -> true;
            default -> null;
        };
        Connection session = fake(Connection.class, (method, args) -> "close".equals(method)
                ? physical.add("closed") : postgres.answer(method, args));
        Connection pooled = fake(Connection.class, (method, args) -> switch (method) {
            case "close" -> physical.add("returned to the pool");
            case "unwrap" -> session;
            case "isClosed" -> physical.contains("closed");
            default -> postgres.answer(method, args);
        });
        DataSource pool = fake(DataSource.class, (method, args) -> "getConnection".equals(method) ? pooled : null);
        DurableDataSource ledger = DurableDataSource.of(pool);
        physical.clear();

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Durability.deferred(() -> {
            try (Connection db = ledger.getConnection()) {
                db.createStatement().execute("SELECT 1");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        })).hasRootCauseMessage("connection reset by peer");
        assertThat(physical).containsExactly("closed", "returned to the pool");
    }

    private interface Answer {
        Object answer(String method, Object[] args) throws Throwable;
    }

    @SuppressWarnings("unchecked")
    private static <T> T fake(Class<T> type, Answer answer) {
        return (T) java.lang.reflect.Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> {
                    Object result = answer.answer(method.getName(), args);
                    return result == null && method.getReturnType() == boolean.class ? false : result;
                });
    }

    private static String setting(DataSource database) {
        try (Connection db = database.getConnection(); Statement show = db.createStatement();
                ResultSet row = show.executeQuery("SHOW synchronous_commit")) {
            row.next();
            return row.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void crash(DataSource database) throws SQLException {
        try (Connection db = database.getConnection(); Statement shutdown = db.createStatement()) {
            shutdown.execute("SHUTDOWN IMMEDIATELY");
        } catch (SQLException closedUnderUs) {
            // H2 may report the connection closed by the shutdown itself
        }
    }

    private static void execute(DataSource database, String sql) {
        try (Connection db = database.getConnection(); Statement statement = db.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private static List<String> names(DataSource database) {
        List<String> names = new ArrayList<>();
        try (Connection db = database.getConnection(); Statement select = db.createStatement();
                ResultSet rows = select.executeQuery("SELECT name FROM t")) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return names;
    }
}
