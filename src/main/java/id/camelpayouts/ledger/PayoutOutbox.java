package id.camelpayouts.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;


import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The ledger's outbox ({@code outbox} table): a payout's outcome written, in the transaction of the
 * change, once per outcome channel (payouts.outcomes.channels), when {@link OutcomeRule} says the
 * change is one its consumers act on; read and forgotten per channel by the payout-outcomes block.
 * A crash between a change and its delivery loses nothing: delivery is at least once.
 */
public final class PayoutOutbox {

    /** An outcome waiting for its channel. */
    public record OutboxMessage(long id, String reference, String payload) {
    }

    /** Outcomes read for one channel, and which of them the channel has taken so far. */
    public static final class OutboxBatch {
        private final List<OutboxMessage> messages;
        private final List<Long> sent = new ArrayList<>();

        OutboxBatch(List<OutboxMessage> messages) {
            this.messages = messages;
        }

        public List<OutboxMessage> getMessages() {
            return messages;
        }

        /** The channel has this outcome (forgotten by {@link PayoutOutbox#delivered(OutboxBatch)}). */
        public synchronized void sent(long outboxId) {
            sent.add(outboxId);
        }

        /** The channel took none of them after all (its transaction was rolled back). */
        public synchronized void noneSent() {
            sent.clear();
        }

        synchronized List<Long> sentIds() {
            return List.copyOf(sent);
        }
    }

    private final DurableDataSource dataSource;
    private final List<String> channels;
    private final ObjectMapper json = new ObjectMapper();

    PayoutOutbox(DurableDataSource dataSource, List<String> channels) {
        this.dataSource = dataSource;
        this.channels = List.copyOf(channels);
    }

    /** The oldest outcomes not yet delivered to {@code channel}, oldest first. */
    OutboxBatch read(String channel, int limit) {
        if (!channels.contains(channel)) {
            throw new IllegalArgumentException("outcome channel '" + channel + "' is not one of"
                    + " payouts.outcomes.channels " + channels + ": declare it there");
        }
        List<OutboxMessage> messages = new ArrayList<>();
        try (Connection db = dataSource.getConnection();
                PreparedStatement select = db.prepareStatement("SELECT id, reference, payload FROM outbox"
                        + " WHERE channel = ? ORDER BY id")) {
            select.setString(1, channel);
            select.setMaxRows(limit);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    messages.add(new OutboxMessage(rows.getLong(1), rows.getString(2), rows.getString(3)));
                }
            }
        } catch (SQLException e) {
            throw new LedgerException("could not read the outbox", e);
        }
        if (!messages.isEmpty()) {
            // Some of these outcomes were committed without waiting for the disk (a transfer's
            // outcome, re-derived by a status inquiry after a crash): on disk before anyone hears of
            // them, so that nothing leaves the gateway that a crash could take back.
            dataSource.flushCommitted();
        }
        return new OutboxBatch(messages);
    }

    /**
     * Forgets the outcomes the channel has taken, in one transaction per batch (one commit per
     * outcome was a sizeable share of the ledger's writes). A crash before this re-delivers them.
     */
    void delivered(OutboxBatch batch) {
        // lost to a crash, they are delivered again (at least once): no need to wait for the disk
        Durability.deferred(() -> forget(batch.sentIds()));
    }

    private void forget(List<Long> ids) {
        for (int from = 0; from < ids.size(); from += 500) {
            List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + 500));
            try (Connection db = dataSource.getConnection(); PreparedStatement delete = db.prepareStatement(
                    "DELETE FROM outbox WHERE id IN (" + String.join(",", Collections.nCopies(chunk.size(), "?")) + ")")) {
                for (int i = 0; i < chunk.size(); i++) {
                    delete.setLong(i + 1, chunk.get(i));
                }
                delete.executeUpdate();
            } catch (SQLException e) {
                throw new LedgerException("could not forget delivered outcomes", e);
            }
        }
    }

    /**
     * Writes the payout's outcome to every channel, in the transaction of the change ({@code db}),
     * when the change is one its consumers act on ({@link OutcomeRule}); the one place that decides.
     */
    void enqueueIfNoticed(Connection db, Payout payout, Instant now) throws SQLException {
        OutcomeRule.Noticed before = payout.stored;
        payout.stored = OutcomeRule.Noticed.of(payout);
        if (channels.isEmpty() || !OutcomeRule.emits(before, payout.stored)) {
            return;
        }
        String payload;
        try {
            payload = json.writeValueAsString(payout.toOutcome());
        } catch (JsonProcessingException e) {
            throw new SQLException("outcome of " + payout.getReference() + " not serialisable", e);
        }
        try (PreparedStatement insert = db.prepareStatement("INSERT INTO outbox (channel, reference, payload,"
                + " created_at) VALUES (?, ?, ?, ?)")) {
            for (String channel : channels) {
                insert.setString(1, channel);
                insert.setString(2, payout.getReference());
                insert.setString(3, payload);
                insert.setObject(4, now.atOffset(ZoneOffset.UTC));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }
}
