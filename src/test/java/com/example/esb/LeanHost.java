package com.example.esb;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.ConsumerTemplate;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;

import id.camelpayouts.PayoutsConfiguration;

/**
 * A host started by {@link LeanHostIT} in its own JVM, on the class path Maven gives a project that
 * depends on camel-payouts plus the host's own choices. {@code LeanHost <name> <instruction>...}:
 * Camel Main with {@code <name>/application.properties} and the routes it names, which submit
 * through the payout-submit block at {@code direct:lean-payouts} and deliver the outcomes channel
 * {@code lean} to {@code seda:lean-outcomes}; pays each instruction, prints each outcome as
 * {@code outcome <reference> <json>}, and exits 0 once every one SUCCEEDED (1 otherwise, or when
 * the host does not start). Nothing here depends on the test kit: the class path is the host's.
 */
public final class LeanHost {

    private static final long WAIT_MILLIS = 30_000;

    private LeanHost() {
    }

    public static void main(String... args) throws Exception {
        List<String> instructions = List.of(args).subList(1, args.length);
        Main main = new Main();
        main.configure().addConfiguration(PayoutsConfiguration.class);
        main.setDefaultPropertyPlaceholderLocation("classpath:" + args[0] + "/application.properties");
        boolean paid = false;
        try {
            long launched = System.nanoTime();
            main.start();
            System.out.printf("started in %.1f s%n", (System.nanoTime() - launched) / 1e9);
            paid = pay(main.getCamelContext(), instructions);
            System.out.printf("paid in %.1f s%n", (System.nanoTime() - launched) / 1e9);
        } catch (Exception | LinkageError e) {
            e.printStackTrace(System.out);
        } finally {
            try {
                main.stop();
            } catch (Exception e) {
                e.printStackTrace(System.out);
            }
        }
        System.out.println(paid ? "all SUCCEEDED" : "not all SUCCEEDED");
        System.exit(paid ? 0 : 1);
    }

    private static boolean pay(CamelContext context, List<String> instructions) throws Exception {
        ProducerTemplate producer = context.createProducerTemplate();
        for (String instruction : instructions) {
            Exchange answer = producer.send("direct:lean-payouts", exchange -> exchange.getIn().setBody(instruction));
            if (answer.getException() != null) {
                throw answer.getException();
            }
            System.out.println("intake " + answer.getMessage().getHeader("PayoutIntake"));
        }
        Map<String, String> last = new HashMap<>();
        ConsumerTemplate outcomes = context.createConsumerTemplate();
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (System.currentTimeMillis() < deadline && !allSucceeded(last, instructions.size())) {
            Exchange outcome = outcomes.receive("seda:lean-outcomes", 200);
            if (outcome != null) {
                String reference = outcome.getMessage().getHeader("PayoutReference", String.class);
                String json = outcome.getMessage().getBody(String.class);
                System.out.println("outcome " + reference + " " + json);
                last.put(reference, json);
            }
        }
        return allSucceeded(last, instructions.size());
    }

    private static boolean allSucceeded(Map<String, String> last, int paid) {
        return last.size() == paid
                && last.values().stream().allMatch(json -> json.contains("\"status\":\"SUCCEEDED\""));
    }
}
