package id.camelpayouts.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A consumer on a {@link WakeableSchedule} polls when woken, not only at its delay: an inbox
 * polled every hour takes a file dropped into it at once, because its {@link InboxWatch} hears of
 * the file and wakes the schedule.
 */
class WakeableScheduleTest {

    @TempDir
    Path inbox;

    @Test
    void aFileDroppedIntoAnInboxPolledHourlyIsTakenWhenTheWatchWakesThePoll() throws Exception {
        WakeableSchedule schedule = new WakeableSchedule();
        InboxWatch watch = new InboxWatch(inbox, schedule);
        List<String> taken = new CopyOnWriteArrayList<>();
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.getRegistry().bind("hourly", schedule);
            context.addService(watch);
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("file:" + inbox + "?scheduler=#hourly&scheduler.delay=3600000"
                            + "&scheduler.initialDelay=3600000&delete=true")
                            .process(exchange -> taken.add(exchange.getMessage().getHeader("CamelFileName",
                                    String.class)));
                }
            });
            context.start();
            assertThat(schedule.getDelay()).as("the endpoint's scheduler.delay").isEqualTo(3_600_000);

            Files.writeString(inbox.resolve("payroll.csv"), "reference,amount\n");

            await().atMost(Duration.ofMinutes(1)).until(() -> !taken.isEmpty());
            assertThat(taken).containsExactly("payroll.csv");
        }
    }
}
