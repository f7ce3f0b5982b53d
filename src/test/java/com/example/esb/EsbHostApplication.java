package com.example.esb;

import java.util.Properties;

import org.apache.camel.main.Main;

import id.camelpayouts.PayoutsConfiguration;

/**
 * A host application embedding camel-payouts as a library, as an integration team would: its
 * own Camel Main, its own properties and YAML routes, and of camel-payouts only the documented
 * surface: {@link PayoutsConfiguration}, the blocks (route templates) and the payouts.*,
 * duitku.* and durianpay.* settings. It chooses its own HTTP server (camel.server.*), ledger
 * database (payouts.db.url) and no broker at all.
 */
public final class EsbHostApplication {

    /** Its settings: its own, and its Durianpay credentials. */
    static final String SETTINGS = "classpath:esb-host/application.properties,classpath:esb-host/durianpay.properties";

    private EsbHostApplication() {
    }

    public static void main(String... args) throws Exception {
        create().run(args);
    }

    static Main create() {
        return create(SETTINGS, new Properties());
    }

    /** The host on other settings files, with some settings overridden (the tests' variants of it). */
    static Main create(String settings, Properties overrides) {
        Main main = new Main();
        main.configure().addConfiguration(PayoutsConfiguration.class);
        main.setDefaultPropertyPlaceholderLocation(settings);
        main.setOverrideProperties(overrides);
        return main;
    }
}
