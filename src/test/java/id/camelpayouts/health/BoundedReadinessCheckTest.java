package id.camelpayouts.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.health.HealthCheck;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/**
 * A probe that has just answered leaves its thread on the way back to the pool: the next call,
 * made at once, must still be probed (UP), not refused by the pool.
 */
class BoundedReadinessCheckTest {

    @Test
    void callsMadeOneRightAfterAnotherAreEachProbedAndUp() throws Exception {
        AtomicInteger probes = new AtomicInteger();
        BoundedReadinessCheck check = new BoundedReadinessCheck("probe-test", "resource", Duration.ofSeconds(5)) {
            @Override
            protected void probe() {
                probes.incrementAndGet();
            }
        };
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            check.setCamelContext(context);
            for (int i = 0; i < 5_000; i++) {
                HealthCheck.Result result = check.call(Map.of());
                assertThat(result.getState()).as("call %d: %s", i, result.getMessage().orElse("")).isEqualTo(
                        HealthCheck.State.UP);
            }
        }
        assertThat(probes).hasValue(5_000);
    }
}
