package id.camelpayouts.ledger;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

import javax.sql.DataSource;

import org.slf4j.LoggerFactory;

/**
 * The ledger's database, with its writes durable by default and their flushes shared
 * ({@link Durability} says which writes may be deferred). A connection that wrote is on disk when
 * its {@code close()} returns, unless it was taken inside deferred work. How, by database:
 * <ul>
 * <li><b>H2</b> (the embedded ledger, opened with H2's background writer): after the commit, one
 * {@code CHECKPOINT} ({@link GroupFlush}) writes every transaction committed so far, so the
 * workers that commit in the same few milliseconds share it; deferred writes reach the disk with
 * the next flush or the background writer, whichever is first.</li>
 * <li><b>PostgreSQL</b>: a commit waits for its write-ahead log flush, and PostgreSQL already lets
 * concurrent commits share one flush; deferred work runs with {@code synchronous_commit} off (its
 * commits are lost only if the database server itself crashes, and never ahead of a later
 * durable commit, which flushes the log up to itself).</li>
 * <li>any other database: every commit as the database makes it.</li>
 * </ul>
 */
public final class DurableDataSource implements DataSource {

    private static final Set<String> WRITES = Set.of("execute", "executeUpdate", "executeLargeUpdate", "executeBatch",
            "executeLargeBatch");
    private static final Set<String> EXECUTES = Set.of("execute", "executeUpdate", "executeLargeUpdate",
            "executeBatch", "executeLargeBatch", "executeQuery");
    /** What ends a transaction, and with it a setting made for that transaction only. */
    private static final Set<String> TRANSACTION_ENDS = Set.of("commit", "rollback", "setAutoCommit");

    /** What the database needs around a borrowed connection. */
    private enum Kind { H2, POSTGRESQL, OTHER }

    private final DataSource database;
    private final Kind kind;
    private final GroupFlush flush;
    private final LongAdder durableWrites = new LongAdder();
    private final LongAdder deferredWrites = new LongAdder();

    private DurableDataSource(DataSource database, Kind kind) {
        this.database = database;
        this.kind = kind;
        this.flush = kind == Kind.H2 ? new GroupFlush(database) : null;
    }

    /** The ledger's view of {@code database} (itself when it is one already). */
    public static DurableDataSource of(DataSource database) {
        if (database instanceof DurableDataSource durable) {
            return durable;
        }
        Kind kind;
        try (Connection db = database.getConnection()) {
            String product = db.getMetaData().getDatabaseProductName();
            kind = "H2".equals(product) ? Kind.H2 : "PostgreSQL".equals(product) ? Kind.POSTGRESQL : Kind.OTHER;
            if (kind == Kind.H2 && !GroupFlush.allowed(db)) {
                LoggerFactory.getLogger(DurableDataSource.class).warn("The ledger's H2 user may not CHECKPOINT"
                        + " (not an admin): each commit is as durable as the database URL's WRITE_DELAY makes it");
                kind = Kind.OTHER;
            }
        } catch (SQLException e) {
            throw new LedgerException("could not open the ledger's database", e);
        }
        return new DurableDataSource(database, kind);
    }

    /** Writes made durably so far (each waited for its flush, or shared one). */
    public long durableWrites() {
        return durableWrites.sum();
    }

    /** Writes made inside deferred work so far. */
    public long deferredWrites() {
        return deferredWrites.sum();
    }

    /** Flushes made by the gateway itself (H2's CHECKPOINT); on PostgreSQL its own, not counted here. */
    public long flushes() {
        return flush == null ? 0 : flush.count();
    }

    /**
     * Makes sure every transaction committed so far is on disk (H2: a shared flush; PostgreSQL:
     * its durable commits are flushed before anyone sees them). Called before the outbox hands
     * outcomes on, so that nothing leaves the gateway that a crash could take back.
     */
    public void flushCommitted() {
        if (flush != null) {
            flush.await();
        }
    }

    /**
     * The database itself, for statements that only read: a read has nothing to make durable, and
     * tracking its connection (a proxy per connection and per statement, each call by reflection)
     * was about a tenth of the ledger read that answers a repeated callback.
     */
    public DataSource forReads() {
        return database;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return track(database.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return track(database.getConnection(username, password));
    }

    private Connection track(Connection connection) throws SQLException {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                new Borrowed(connection, Durability.isDeferred()));
    }

    /**
     * One borrowed connection: notes whether it wrote, and makes that durable when it is given back.
     * On PostgreSQL deferred work commits asynchronously: before its first statement, a transaction
     * (the ledger's changes) gets {@code SET LOCAL synchronous_commit TO OFF}, which ends with it;
     * a statement in auto-commit mode gets the session's setting, reset when the connection is given
     * back. The session's SET and RESET (and the RESET's commit) were three more round trips for each
     * of a payout's deferred transactions (issue 17).
     */
    private final class Borrowed implements InvocationHandler {
        private final Connection connection;
        private final boolean deferred;
        private boolean wrote;
        private boolean closed;
        /** synchronous_commit is off for the session: reset when given back. */
        private boolean sessionAsync;
        /** synchronous_commit is off for the open transaction. */
        private boolean transactionAsync;

        Borrowed(Connection connection, boolean deferred) {
            this.connection = connection;
            this.deferred = deferred;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            if ("close".equals(name)) {
                close();
                return null;
            }
            if (TRANSACTION_ENDS.contains(name)) {
                transactionAsync = false;
            }
            Object result = call(connection, method, args);
            if (result instanceof Statement statement && method.getReturnType().isInterface()) {
                return Proxy.newProxyInstance(Connection.class.getClassLoader(),
                        new Class<?>[] {(Class<?>) method.getReturnType()}, (p, m, a) -> {
                            if (EXECUTES.contains(m.getName())) {
                                beforeExecute();
                            }
                            if (WRITES.contains(m.getName())) {
                                wrote = true;
                            }
                            return "getConnection".equals(m.getName()) ? proxy : call(statement, m, a);
                        });
            }
            return result;
        }

        /** Deferred work on PostgreSQL: its commits asynchronous, for its transaction or its session. */
        private void beforeExecute() throws SQLException {
            if (!deferred || kind != Kind.POSTGRESQL || sessionAsync || transactionAsync) {
                return;
            }
            if (connection.getAutoCommit()) {
                setForSession(connection, "SET synchronous_commit TO OFF");
                sessionAsync = true;
            } else {
                try (Statement set = connection.createStatement()) {
                    set.execute("SET LOCAL synchronous_commit TO OFF");
                }
                transactionAsync = true;
            }
        }

        /**
         * Gives the session its own synchronous_commit back. A session that could not be reset would
         * make the next borrower's durable commits asynchronous: its physical connection is closed
         * for good instead (the pool drops a closed connection: the next use fails, never runs
         * asynchronously).
         */
        private void resetOrDiscard() throws SQLException {
            try {
                setForSession(connection, "RESET synchronous_commit");
            } catch (SQLException resetFailed) {
                try {
                    connection.unwrap(Connection.class).close();
                } catch (SQLException alsoFailed) {
                    resetFailed.addSuppressed(alsoFailed);
                }
                throw resetFailed;
            }
        }

        private void close() throws SQLException {
            if (closed) {
                return;
            }
            closed = true;
            try {
                if (sessionAsync && !connection.isClosed()) {
                    resetOrDiscard();
                }
            } finally {
                connection.close();
            }
            if (!wrote) {
                return;
            }
            if (deferred) {
                deferredWrites.increment();
            } else {
                durableWrites.increment();
                flushCommitted();
            }
        }
    }

    /**
     * A setting of the database session, in a transaction of its own: a transaction left open is
     * rolled back first (the caller's work is committed by now, or was to be dropped: the pool
     * would roll it back), so that the setting is committed and never undone with it.
     */
    private static void setForSession(Connection connection, String sql) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        if (!autoCommit) {
            connection.rollback();
        }
        try (Statement set = connection.createStatement()) {
            set.execute(sql);
        }
        if (!autoCommit) {
            connection.commit();
        }
    }

    private static Object call(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return database.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        database.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        database.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return database.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return database.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return type.isInstance(this) ? type.cast(this) : database.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || database.isWrapperFor(type);
    }
}
