package id.camelpayouts.ledger;

import java.time.Duration;
import java.util.List;

/**
 * The ledger's timings, all from configuration.
 *
 * @param resumeAfter      a payout untouched this long after intake is picked up by the reconciler (crash recovery)
 * @param lease            how long a worker may hold a payout before another may take it over
 * @param inquiryBackoff   waits before each repeated inquiry; its length is the number of retries
 * @param statusCheckAfter wait between status inquiries of a transfer whose outcome is unknown
 * @param notFoundGrace    how long a sent transfer may be unknown to the provider before it counts as failed
 * @param reviewAfter      a payout PENDING longer than this is flagged for manual review
 * @param callbackWait     how long a payout whose outcome comes by callback waits before its status is asked
 * @param approvalExpiresAfter a payout waiting this long for an approver ends REJECTED
 */
public record LedgerPolicy(Duration resumeAfter, Duration lease, List<Duration> inquiryBackoff,
        Duration statusCheckAfter, Duration notFoundGrace, Duration reviewAfter, Duration callbackWait,
        Duration approvalExpiresAfter) {

    /** The default of payouts.approval.expires-after. */
    public static final Duration APPROVAL_EXPIRES_AFTER = Duration.ofHours(72);

    public LedgerPolicy(Duration resumeAfter, Duration lease, List<Duration> inquiryBackoff,
            Duration statusCheckAfter, Duration notFoundGrace, Duration reviewAfter, Duration callbackWait) {
        this(resumeAfter, lease, inquiryBackoff, statusCheckAfter, notFoundGrace, reviewAfter, callbackWait,
                APPROVAL_EXPIRES_AFTER);
    }

    public LedgerPolicy(Duration resumeAfter, Duration lease, List<Duration> inquiryBackoff,
            Duration statusCheckAfter, Duration notFoundGrace, Duration reviewAfter) {
        this(resumeAfter, lease, inquiryBackoff, statusCheckAfter, notFoundGrace, reviewAfter, statusCheckAfter);
    }
}
