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

import id.camelpayouts.ledger.Payout.Stage;

/**
 * A payout's history ({@code payout_events}): one line per change, appended in the transaction
 * that makes the change, never updated. Each line says when, the status before (the previous
 * line's) and after, what caused it, who (an API key's name, for people), the provider's code and
 * words, what the gateway made of it, a person's note, and late evidence (a conflict).
 */
final class PayoutEvents {

    private PayoutEvents() {
    }

    /** One change, as the history keeps it. */
    record Event(String reference, Stage stage, String status, String cause, String actor, String code,
            String description, String detail, String note, String conflict) {
    }

    /**
     * A change of this payout (as the caller holds it): its cause, actor and note are the copy's
     * own (see {@link Payout#changedBy}); a copy nobody marked is changed by the provider's
     * callback. The note is recorded once.
     */
    static void append(Connection db, Payout payout, Stage stage, String status, String code, String description,
            String detail, Instant at, String conflict) throws SQLException {
        String cause = payout.cause != null ? payout.cause : Payout.CALLBACK;
        append(db, new Event(payout.getReference(), stage, status, cause, payout.actor, code, description, detail,
                payout.note, conflict), at);
        payout.note = null;
    }

    /**
     * The status before the change is the previous line's: every change of status appends one. It is
     * looked up in the history's index (reference, id) read backwards, in the index's own order: by
     * {@code id} alone, H2 read every line of the payout, each from the table, and sorted them (issue 17).
     */
    static void append(Connection db, Event event, Instant at) throws SQLException {
        try (PreparedStatement insert = db.prepareStatement("INSERT INTO payout_events (reference, at, stage, status,"
                + " from_status, cause, actor, response_code, response_desc, detail, note, conflict) VALUES (?, ?, ?, ?,"
                + " (SELECT e.status FROM payout_events e WHERE e.reference = ?"
                + " ORDER BY e.reference DESC, e.id DESC FETCH FIRST 1 ROW ONLY),"
                + " ?, ?, ?, ?, ?, ?, ?)")) {
            Object[] values = {event.reference(), at.atOffset(ZoneOffset.UTC), event.stage().name(), event.status(),
                event.reference(), event.cause(), truncate(event.actor(), 64), truncate(event.code(), 16),
                truncate(event.description(), 255), truncate(event.detail(), 1000), truncate(event.note(), 1000),
                event.conflict()};
            for (int i = 0; i < values.length; i++) {
                insert.setObject(i + 1, values[i]);
            }
            insert.executeUpdate();
        }
    }

    /** The history as text, oldest first: "stage status code detail" per line (for tests and logs). */
    static List<String> lines(DataSource dataSource, String reference) {
        List<String> events = new ArrayList<>();
        for (Map<String, Object> entry : entries(dataSource, reference)) {
            events.add(entry.get("stage") + " " + entry.get("to") + " " + entry.get("code") + " " + entry.get("detail")
                    + (entry.get("conflict") == null ? "" : " CONFLICT " + entry.get("conflict")));
        }
        return events;
    }

    /**
     * The history, oldest first, as the API answers it: at, from, to, cause, by, code, description,
     * note, conflict, plus what the gateway recorded (detail) and the internal stage (removed by
     * the API). Lines written before causes were kept have none.
     */
    static List<Map<String, Object>> entries(DataSource dataSource, String reference) {
        List<Map<String, Object>> entries = new ArrayList<>();
        try (Connection db = dataSource.getConnection();
                PreparedStatement select = db.prepareStatement("SELECT at, from_status, status, cause, actor,"
                        + " response_code, response_desc, note, conflict, detail, stage FROM payout_events"
                        + " WHERE reference = ? ORDER BY id")) {
            select.setString(1, reference);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("at", row.getObject("at", OffsetDateTime.class).toInstant().toString());
                    entry.put("from", row.getString("from_status"));
                    entry.put("to", row.getString("status"));
                    entry.put("cause", row.getString("cause"));
                    entry.put("by", row.getString("actor"));
                    entry.put("code", row.getString("response_code"));
                    entry.put("description", row.getString("response_desc"));
                    entry.put("note", row.getString("note"));
                    entry.put("conflict", row.getString("conflict"));
                    entry.put("detail", row.getString("detail"));
                    entry.put("stage", row.getString("stage"));
                    entries.add(entry);
                }
            }
        } catch (SQLException e) {
            throw new LedgerException("could not read history of " + reference, e);
        }
        return entries;
    }

    private static String truncate(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }
}
