package com.example.esb;

import org.apache.camel.main.Main;

import id.camelpayouts.PayoutsConfiguration;

/**
 * A host application embedding camel-payouts as a library, as an integration team would: its
 * own Camel Main, its own properties and YAML routes, and of camel-payouts only the documented
 * surface: {@link PayoutsConfiguration}, the blocks (route templates) and the payouts.*,
 * duitku.* and durianpay.* properties. It chooses its own HTTP server (camel.server.*), ledger
 * database (payouts.db.url) and no broker at all.
 */
public final class EsbHostApplication {

    private EsbHostApplication() {
    }

    public static void main(String... args) throws Exception {
        create().run(args);
    }

    static Main create() {
        Main main = new Main();
        main.configure().addConfiguration(PayoutsConfiguration.class);
        main.setDefaultPropertyPlaceholderLocation("classpath:esb-host/application.properties");
        return main;
    }
}
