package id.camelpayouts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

class JvmMetersTest {

    @Test
    void theNamedBindersAreOnTheRegistryOnceTheContextHasStarted() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            MeterRegistry meters = new SimpleMeterRegistry();
            context.getRegistry().bind("metricsRegistry", meters);
            JvmMeters.bindOnStart(context, List.of("jvm-memory", "processor"));
            assertThat(meters.find("jvm.memory.used").meters()).isEmpty();
            context.start();
            assertThat(meters.find("jvm.memory.used").meters()).isNotEmpty();
            assertThat(meters.find("system.cpu.count").meters()).hasSize(1);
            assertThat(meters.find("jvm.threads.live").meters()).as("not named").isEmpty();
        }
    }

    @Test
    void anUnknownNameIsRefusedBeforeAnythingStarts() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            assertThatThrownBy(() -> JvmMeters.bindOnStart(context, List.of("jvm-memory", "jvm-gc")))
                    .hasMessageContaining("no JVM binder jvm-gc").hasMessageContaining("jvm-thread");
        }
    }
}
