package id.camelpayouts.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Producer;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.ToDefinition;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two gateways sharing an outbox (README, "Scaling out") both rewrite the same results file. The
 * file endpoint of routes/gateway/write-results-files.camel.yaml, as configured there, is used by two
 * producers at once (one per gateway: Camel serialises writes only within one producer) while the
 * file is read in a loop: every reading must be one whole version, written by one of them.
 */
class ResultsFileWritersTest {

    static final int VERSIONS_PER_WRITER = 20;
    static final int LINES = 40000;

    @TempDir
    Path outbox;

    @Test
    void twoGatewaysRewritingOneResultsFileNeverShowAMixOrAPart() throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            Properties settings = new Properties();
            settings.put("payouts.outbox", outbox.toString());
            settings.put("payouts.files.results-interval", "1h");
            context.getPropertiesComponent().setInitialProperties(settings);
            PluginHelper.getRoutesLoader(context).loadRoutes(
                    ResourceHelper.resolveMandatoryResource(context, "file:routes/gateway/write-results-files.camel.yaml"));
            String uri = resultsEndpointUri(context);
            // the route's endpoint is what is tested: the route itself (a timer, the ledger) is not started
            ModelCamelContext model = (ModelCamelContext) context;
            model.removeRouteDefinitions(new ArrayList<>(model.getRouteDefinitions()));
            context.start();
            Endpoint endpoint = context.getEndpoint(uri);
            Path results = outbox.resolve("shared.csv.results.csv");

            ExecutorService gateways = Executors.newFixedThreadPool(2);
            List<Future<?>> writing = new ArrayList<>();
            List<String> failedWrites = new CopyOnWriteArrayList<>();
            CyclicBarrier together = new CyclicBarrier(2);
            for (String gateway : List.of("a", "b")) {
                writing.add(gateways.submit(() -> write(endpoint, gateway, together, failedWrites)));
            }
            int readings = 0;
            List<String> broken = new ArrayList<>();
            while (writing.stream().anyMatch(w -> !w.isDone())) {
                try {
                    String content = Files.readString(results);
                    readings++;
                    String problem = problem(content);
                    if (problem != null) {
                        broken.add(problem);
                    }
                } catch (NoSuchFileException notYetWritten) {
                    // before the first write only: FileDropTest checks it never goes missing afterwards
                }
                Thread.yield();
            }
            gateways.shutdown();
            for (Future<?> w : writing) {
                w.get();
            }
            assertThat(readings).as("readings while both wrote").isPositive();
            assertThat(broken).as("readings that were not one whole version (of %d)", readings).isEmpty();
            assertThat(failedWrites).as("writes that failed").isEmpty();
            assertThat(problem(Files.readString(results))).isNull();
            try (Stream<Path> files = Files.list(outbox)) {
                assertThat(files).as("every temporary file renamed").containsExactly(results);
            }
        }
    }

    /**
     * One gateway rewriting the file: its own producer on the route's endpoint. Both start each write
     * together ({@code together}), as two gateways on the same results interval may.
     */
    private static Void write(Endpoint endpoint, String gateway, CyclicBarrier together, List<String> failed)
            throws Exception {
        Producer producer = endpoint.createProducer();
        producer.start();
        try {
            for (int version = 1; version <= VERSIONS_PER_WRITER; version++) {
                Exchange exchange = endpoint.createExchange();
                exchange.getIn().setHeader(Exchange.FILE_NAME, "shared.csv.results.csv");
                exchange.getIn().setBody(version(gateway + "-" + version));
                together.await(10, TimeUnit.SECONDS);
                try {
                    producer.process(exchange);
                } catch (Exception e) {
                    failed.add(gateway + "-" + version + ": " + e.getMessage());
                }
            }
        } finally {
            producer.stop();
        }
        return null;
    }

    private static String version(String name) {
        return (name + ",row\n").repeat(LINES) + "end " + name + "\n";
    }

    /** Why {@code content} is not one whole version, or null. */
    private static String problem(String content) {
        int firstComma = content.indexOf(',');
        if (firstComma < 0) {
            return "no row: " + content.length() + " characters";
        }
        String name = content.substring(0, firstComma);
        return content.equals(version(name)) ? null : "not one whole version of " + name + ": "
                + content.length() + " characters, ends with " + content.substring(Math.max(0, content.length() - 20));
    }

    /** The URI of the route's one file endpoint, placeholders resolved. */
    private static String resultsEndpointUri(CamelContext context) {
        List<String> uris = new ArrayList<>();
        collectFileUris(((ModelCamelContext) context).getRouteDefinition("write-results-files").getOutputs(), uris);
        assertThat(uris).hasSize(1);
        return context.resolvePropertyPlaceholders(uris.get(0));
    }

    private static void collectFileUris(List<ProcessorDefinition<?>> outputs, List<String> uris) {
        for (ProcessorDefinition<?> output : outputs) {
            if (output instanceof ToDefinition to && to.getEndpointUri().startsWith("file:")) {
                uris.add(to.getEndpointUri());
            }
            collectFileUris(output.getOutputs(), uris);
        }
    }
}
