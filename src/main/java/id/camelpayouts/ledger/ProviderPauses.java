package id.camelpayouts.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.apache.camel.Variable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each provider's pause, in the ledger ({@code providers} table) so that every instance sharing it
 * obeys it: while a provider is paused nothing is sent to it (no inquiry: route-payout holds its
 * payouts; no transfer: a transfer is claimed only while its provider is not paused), and its
 * payouts wait, PENDING with a {@code hold}. Status inquiries of transfers sent before the pause go
 * on (they move no money and settle payouts), and so do callbacks. A person pauses and resumes a
 * provider (POST /api/providers/{provider}/pause, /resume); the gateway pauses one itself when a
 * transfer was refused for lack of funds and the provider's balance confirms it. Resuming releases
 * the held payouts to the workers.
 */
public class ProviderPauses {

    /** Why a provider is paused. */
    public static final String OPERATOR = "operator";
    public static final String INSUFFICIENT_FUNDS = "insufficient-funds";

    private static final Logger LOG = LoggerFactory.getLogger(ProviderPauses.class);
    private static final String HELD_FOR_PAUSE = "hold IN ('" + Payout.HOLD_PROVIDER_PAUSED + "', '"
            + Payout.HOLD_INSUFFICIENT_FUNDS + "') AND stage IN ('NEW', 'INQUIRED')";

    /** A provider as GET /api/providers answers it. */
    public record State(String provider, boolean paused, String reason, Instant since, String by, String note) {

        public Map<String, Object> toMap() {
            Map<String, Object> state = new LinkedHashMap<>();
            state.put("provider", provider);
            state.put("paused", paused);
            state.put("reason", reason);
            state.put("since", since == null ? null : since.toString());
            state.put("by", by);
            state.put("note", note);
            return state;
        }
    }

    /** A pause or resume: the provider after it, whether it changed, and the payouts it released to the workers. */
    public record Change(State state, boolean changed, List<String> released) {
    }

    private final PayoutLedger ledger;
    private final List<String> providers;

    /** {@code providers}: the configured ones, each listed (not paused) from the start. */
    public ProviderPauses(PayoutLedger ledger, java.util.Collection<String> providers) {
        this.ledger = ledger;
        this.providers = providers.stream().sorted().toList();
        for (String provider : this.providers) {
            try (Connection db = ledger.dataSource().getConnection()) {
                if (read(db, provider) == null) {
                    try (PreparedStatement insert = db.prepareStatement("INSERT INTO providers (name, paused) VALUES (?, FALSE)")) {
                        insert.setString(1, provider);
                        insert.executeUpdate();
                    } catch (SQLException taken) {
                        if (read(db, provider) == null) {
                            throw taken; // not another instance listing it at the same moment
                        }
                    }
                }
            } catch (SQLException e) {
                throw new LedgerException("could not list provider " + provider, e);
            }
        }
    }

    /** Every configured provider, by name. */
    public List<State> list() {
        List<State> states = new ArrayList<>();
        providers.forEach(provider -> states.add(state(provider)));
        return states;
    }

    /** The provider's state, or null when it is not configured here. */
    public State state(String provider) {
        if (!providers.contains(provider)) {
            return null;
        }
        try (Connection db = ledger.dataSource().getConnection()) {
            return read(db, provider);
        } catch (SQLException e) {
            throw new LedgerException("could not read provider " + provider, e);
        }
    }

    /**
     * Pauses the provider ({@code reason} {@link #OPERATOR} or {@link #INSUFFICIENT_FUNDS}); one that
     * is paused already stays paused as it was. Null when the provider is not configured here.
     */
    public Change pause(String provider, String reason, String by, String note) {
        if (!providers.contains(provider)) {
            return null;
        }
        int paused;
        try (Connection db = ledger.dataSource().getConnection();
                PreparedStatement update = db.prepareStatement("UPDATE providers SET paused = TRUE, reason = ?,"
                        + " since = ?, changed_by = ?, note = ? WHERE name = ? AND paused = FALSE")) {
            bind(update, reason, at(ledger.clock().instant()), by, note, provider);
            paused = update.executeUpdate();
        } catch (SQLException e) {
            throw new LedgerException("could not pause provider " + provider, e);
        }
        State state = state(provider);
        if (paused == 1) {
            LOG.warn("Provider {} paused ({}{}): nothing is sent to it until it is resumed", provider, reason,
                    by == null ? "" : ", by " + by);
        }
        return new Change(state, paused == 1, List.of());
    }

    /**
     * Resumes the provider and releases its held payouts (returned, for the workers): they are sent
     * now, each going on from where it stopped. Null when the provider is not configured here.
     */
    public Change resume(String provider, String by, String note) {
        if (!providers.contains(provider)) {
            return null;
        }
        List<String> released = new ArrayList<>();
        int resumed;
        try (Connection db = ledger.dataSource().getConnection()) {
            db.setAutoCommit(false);
            try (PreparedStatement update = db.prepareStatement("UPDATE providers SET paused = FALSE, reason = NULL,"
                    + " since = ?, changed_by = ?, note = ? WHERE name = ? AND paused = TRUE")) {
                bind(update, at(ledger.clock().instant()), by, note, provider);
                resumed = update.executeUpdate();
            }
            try (PreparedStatement select = db.prepareStatement("SELECT reference FROM payouts WHERE " + HELD_FOR_PAUSE
                    + " AND provider = ?")) {
                select.setString(1, provider);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        released.add(rows.getString(1));
                    }
                }
            }
            release(db, "provider = ?", provider);
            db.commit();
        } catch (SQLException e) {
            throw new LedgerException("could not resume provider " + provider, e);
        }
        if (resumed == 1) {
            LOG.info("Provider {} resumed{}: {} held payouts go on", provider, by == null ? "" : " by " + by,
                    released.size());
        }
        return new Change(state(provider), resumed == 1, released);
    }

    /** route-payout: the hold of a payout for this provider now, or null when the provider is not paused. */
    public String holdFor(@Variable("provider") String provider) {
        // a read: the database itself, not the durability proxies (asked once per payout)
        return holdFor(ledger.database().forReads(), provider);
    }

    /** The hold a paused provider's payouts wait with: insufficient-funds when paused for that, else provider-paused. */
    static String holdFor(DataSource dataSource, String provider) {
        try (Connection db = dataSource.getConnection()) {
            State state = provider == null ? null : read(db, provider);
            if (state == null || !state.paused()) {
                return null;
            }
            return INSUFFICIENT_FUNDS.equals(state.reason()) ? Payout.HOLD_INSUFFICIENT_FUNDS : Payout.HOLD_PROVIDER_PAUSED;
        } catch (SQLException e) {
            throw new LedgerException("could not read provider " + provider, e);
        }
    }

    /** The reason a held payout shows. */
    public static String holdReason(String provider, String hold) {
        return Payout.HOLD_INSUFFICIENT_FUNDS.equals(hold)
                ? provider + " is paused for insufficient funds: top up the balance, then resume it"
                        + " (POST /api/providers/" + provider + "/resume); nothing was sent"
                : provider + " is paused: nothing is sent to it until it is resumed (POST /api/providers/"
                        + provider + "/resume)";
    }

    /**
     * The gateway's own pause: a transfer was refused for lack of funds and the provider's balance
     * is below the payout's amount. The payouts after it would be refused too: they wait instead.
     */
    public void pauseForFunds(@Variable("provider") String provider, @Variable("reason") String detail) {
        Change change = pause(provider, INSUFFICIENT_FUNDS, null, detail);
        if (change != null && change.changed()) {
            LOG.warn("Provider {} paused for insufficient funds ({}): its payouts wait; top up, then POST"
                    + " /api/providers/{}/resume", provider, detail, provider);
        }
    }

    /**
     * The reconciler: held payouts whose provider is not paused (any resume missed: a payout held in
     * the instant its provider was resumed, or resumed by hand in the database) are due now.
     */
    public int releaseHeld() {
        try (Connection db = ledger.dataSource().getConnection()) {
            return release(db, "next_action_at IS NULL AND (provider IS NULL OR provider NOT IN"
                    + " (SELECT name FROM providers WHERE paused = TRUE))");
        } catch (SQLException e) {
            throw new LedgerException("could not release held payouts", e);
        }
    }

    /** Whether the provider is paused (metrics). */
    public boolean isPaused(String provider) {
        State state = state(provider);
        return state != null && state.paused();
    }

    public List<String> providers() {
        return providers;
    }

    private int release(Connection db, String condition, Object... values) throws SQLException {
        try (PreparedStatement update = db.prepareStatement("UPDATE payouts SET next_action_at = ? WHERE "
                + HELD_FOR_PAUSE + " AND " + condition)) {
            update.setObject(1, at(ledger.clock().instant()));
            for (int i = 0; i < values.length; i++) {
                update.setObject(i + 2, values[i]);
            }
            return update.executeUpdate();
        }
    }

    private static State read(Connection db, String provider) throws SQLException {
        try (PreparedStatement select = db.prepareStatement("SELECT paused, reason, since, changed_by, note"
                + " FROM providers WHERE name = ?")) {
            select.setString(1, provider);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return null;
                }
                OffsetDateTime since = row.getObject("since", OffsetDateTime.class);
                boolean paused = row.getBoolean("paused");
                return new State(provider, paused, row.getString("reason"), paused && since != null
                        ? since.toInstant() : null, paused ? row.getString("changed_by") : null,
                        paused ? row.getString("note") : null);
            }
        }
    }

    private static void bind(PreparedStatement statement, Object... values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            statement.setObject(i + 1, values[i]);
        }
    }

    private static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
