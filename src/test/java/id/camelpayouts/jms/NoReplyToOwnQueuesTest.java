package id.camelpayouts.jms;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import org.apache.activemq.artemis.jms.client.ActiveMQDestination;
import org.apache.activemq.artemis.jms.client.ActiveMQQueue;
import org.apache.activemq.artemis.jms.client.ActiveMQTopic;
import org.junit.jupiter.api.Test;

class NoReplyToOwnQueuesTest {

    final NoReplyToOwnQueues guard = new NoReplyToOwnQueues("jms-payout-requests",
            Set.of("payouts.requests", "payouts.outcomes", "payouts.dead-letter"));

    @Test
    void theGatewaysOwnQueuesAreRecognisedHoweverTheyAreNamed() {
        assertThat(guard.refused(new ActiveMQQueue("payouts.outcomes"))).isTrue();
        assertThat(guard.refused(new ActiveMQQueue("payouts.dead-letter"))).isTrue();
        assertThat(guard.refused(new ActiveMQQueue("payouts.requests"))).isTrue();
        assertThat(guard.refused(new ActiveMQQueue("payouts.outcomes::payouts.outcomes"))).isTrue();
        assertThat(guard.refused(new ActiveMQQueue("other::payouts.outcomes"))).isTrue();
        assertThat(guard.refused(new ActiveMQTopic("payouts.outcomes"))).isTrue();
        assertThat(guard.refused(ActiveMQDestination.createDestination("queue://payouts.outcomes",
                ActiveMQDestination.TYPE.QUEUE))).isTrue();
    }

    @Test
    void anyOtherReplyDestinationIsAnswered() {
        assertThat(guard.refused(new ActiveMQQueue("erp.payout-replies"))).isFalse();
        assertThat(guard.refused(ActiveMQDestination.createTemporaryQueue("payouts.outcomes"))).isFalse();
        assertThat(guard.refused(null)).isFalse();
        assertThat(guard.refused("payouts.outcomes")).isFalse(); // not a destination: no reply is sent anyway
    }
}
