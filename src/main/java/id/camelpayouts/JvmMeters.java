package id.camelpayouts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import org.apache.camel.CamelContext;

/**
 * Micrometer's JVM binders named by {@code payouts.metrics.jvm}, bound on Camel's meter registry
 * once the context has started. Camel's own {@code camel.metrics.binders} finds a binder's class
 * by reading a Jandex index of every binder in Micrometer's jar at each start (issue 17); these
 * few are named here.
 */
final class JvmMeters {

    private static final Map<String, Supplier<MeterBinder>> BINDERS = Map.of("jvm-memory", JvmMemoryMetrics::new,
            "jvm-thread", JvmThreadMetrics::new, "processor", ProcessorMetrics::new,
            "class-loader", ClassLoaderMetrics::new, "uptime", UptimeMetrics::new);

    private JvmMeters() {
    }

    /** Refuses an unknown name now (before anything starts); binds the others once the context has started. */
    static void bindOnStart(CamelContext context, List<String> names) throws Exception {
        List<MeterBinder> binders = new ArrayList<>();
        for (String name : names) {
            Supplier<MeterBinder> binder = BINDERS.get(name);
            if (binder == null) {
                throw new IllegalStateException("payouts.metrics.jvm: no JVM binder " + name + " (known: "
                        + String.join(", ", BINDERS.keySet().stream().sorted().toList()) + ")");
            }
            binders.add(binder.get());
        }
        if (binders.isEmpty()) {
            return;
        }
        context.addStartupListener((started, alreadyStarted) -> {
            MeterRegistry meters = started.getRegistry().findSingleByType(MeterRegistry.class);
            if (meters != null && !alreadyStarted) {
                binders.forEach(binder -> binder.bindTo(meters));
            }
        });
    }
}
