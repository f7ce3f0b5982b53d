package id.camelpayouts.ledger;

import java.util.Objects;

/**
 * When the ledger emits an outcome to its channels (payouts.outcomes.channels): when a payout is
 * taken in, and then only when something a consumer acts on has changed. A consumer books a final
 * status, hands a cash-out token (and PIN) to the customer, and calls a person when the payout is
 * flagged for review or the provider contradicted its final status; so those are what count:
 * {@code status}, {@code token}, {@code reviewRequired}, {@code conflict}. And a {@code hold} that
 * begins (or changes): the payout waits for something outside the gateway (a paused provider, a
 * top-up, Bank Indonesia's window), which its consumer may have to act on or explain. A hold that
 * ends emits nothing: the payout goes on, and its next outcome shows it.
 *
 * <p>What changes while a payout is worked on (the inquiry's providerReference and account name,
 * the transfer being claimed, another status check, the reason a PENDING payout waits) emits
 * nothing: it travels with the next outcome that is emitted, and GET /api/payouts/{reference}
 * shows it meanwhile. An online transfer thus emits PENDING (taken in), then its final status.
 */
public final class OutcomeRule {

    /** The part of a payout its consumers act on. */
    public record Noticed(String status, String token, boolean reviewRequired, String conflict, String hold) {

        public Noticed(String status, String token, boolean reviewRequired, String conflict) {
            this(status, token, reviewRequired, conflict, null);
        }

        public static Noticed of(Payout payout) {
            return new Noticed(payout.status, payout.token, payout.reviewRequired, payout.conflict, payout.hold);
        }
    }

    private OutcomeRule() {
    }

    /** Whether a change from {@code before} (null: the payout is new) to {@code after} emits an outcome. */
    public static boolean emits(Noticed before, Noticed after) {
        if (before == null) {
            return true;
        }
        boolean acted = !Objects.equals(before.status(), after.status()) || !Objects.equals(before.token(), after.token())
                || before.reviewRequired() != after.reviewRequired() || !Objects.equals(before.conflict(), after.conflict());
        return acted || after.hold() != null && !after.hold().equals(before.hold());
    }
}
