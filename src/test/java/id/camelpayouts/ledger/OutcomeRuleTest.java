package id.camelpayouts.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The rule of when an outcome is emitted: a new payout, or a change of what a consumer acts on. */
class OutcomeRuleTest {

    private static final OutcomeRule.Noticed PENDING = new OutcomeRule.Noticed("PENDING", null, false, null);

    @Test
    void aNewPayoutEmits() {
        assertThat(OutcomeRule.emits(null, PENDING)).isTrue();
    }

    @Test
    void nothingAConsumerActsOnChangedEmitsNothing() {
        assertThat(OutcomeRule.emits(PENDING, new OutcomeRule.Noticed("PENDING", null, false, null))).isFalse();
    }

    @ParameterizedTest(name = "{0} changed")
    @CsvSource({"status, SUCCEEDED,, false,", "token, PENDING, 1f2e, false,", "reviewRequired, PENDING,, true,",
        "conflict, PENDING,, false, LATE_SUCCESS"})
    void eachFieldAConsumerActsOnEmitsWhenItChanges(String field, String status, String token, boolean review,
            String conflict) {
        assertThat(OutcomeRule.emits(PENDING, new OutcomeRule.Noticed(status, token, review, conflict))).isTrue();
    }

    @Test
    void aHoldThatBeginsOrChangesEmitsAndOneThatEndsDoesNot() {
        OutcomeRule.Noticed held = new OutcomeRule.Noticed("PENDING", null, false, null, "provider-paused");
        assertThat(OutcomeRule.emits(PENDING, held)).as("begins").isTrue();
        assertThat(OutcomeRule.emits(held, new OutcomeRule.Noticed("PENDING", null, false, null, "insufficient-funds")))
                .as("changes").isTrue();
        assertThat(OutcomeRule.emits(held, held)).as("the same hold again").isFalse();
        assertThat(OutcomeRule.emits(held, PENDING)).as("ends: the next outcome shows it").isFalse();
    }
}
