package id.camelpayouts;

import org.apache.camel.main.Main;

/**
 * Runs the standalone gateway: Camel Main with the top-level {@code application.properties} and
 * the YAML routes under {@code routes/}. Start it from the repository root.
 */
public final class PayoutsApplication {

    private PayoutsApplication() {
    }

    public static void main(String... args) throws Exception {
        // Configuration added explicitly, not by package scanning (which would configure it twice).
        Main main = new Main();
        main.configure().addConfiguration(GatewayConfiguration.class);
        main.setDefaultPropertyPlaceholderLocation("file:application.properties");
        main.run(args);
    }
}
