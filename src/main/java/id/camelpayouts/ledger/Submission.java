package id.camelpayouts.ledger;


/** What became of a submitted instruction: newly accepted, a repeat of an existing payout, or a conflict. */
public record Submission(Kind kind, Payout payout) {

    public enum Kind { ACCEPTED, REPEATED, CONFLICT }
}
