package id.camelpayouts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import io.vertx.core.Vertx;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;

/**
 * The gateway's HTTP servers (API, management port) and its twins run on one Vert.x: each instance
 * has event loops, a worker pool and a checker thread of its own, and four were made at every start.
 */
class SharedVertxTest {

    @Test
    void theApiAndTheManagementPortShareOneVertx() throws Exception {
        Path work = Files.createTempDirectory(Path.of("target"), "shared-vertx");
        Properties settings = new Properties();
        settings.put("camel.server.port", "0");
        settings.put("camel.management.port", "0");
        settings.put("payouts.twin.port", "0");
        settings.put("payouts.twin.durianpay-port", "0");
        settings.put("payouts.samples", "");
        settings.put("payouts.db.url", "jdbc:h2:mem:shared-vertx");
        settings.put("payouts.data-dir", work.toString());
        settings.put("payouts.inbox", work.resolve("inbox").toString());
        settings.put("payouts.outbox", work.resolve("outbox").toString());
        Main gateway = new Main();
        gateway.configure().addConfiguration(GatewayConfiguration.class);
        gateway.setDefaultPropertyPlaceholderLocation("file:application.properties");
        gateway.setOverrideProperties(settings);
        gateway.start();
        try {
            CamelContext context = gateway.getCamelContext();
            Vertx shared = context.getRegistry().lookupByNameAndType(SharedVertx.NAME, Vertx.class);
            assertThat(context.getRegistry().findByType(Vertx.class)).containsExactly(shared);
            assertThat(context.hasService(MainHttpServer.class).getRouter().vertx()).isSameAs(shared);
            assertThat(context.hasService(ManagementHttpServer.class).getRouter().vertx()).isSameAs(shared);
        } finally {
            gateway.stop();
        }
    }
}
