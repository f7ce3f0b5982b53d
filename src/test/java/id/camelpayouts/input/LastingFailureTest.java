package id.camelpayouts.input;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LastingFailureTest {

    static final String LOGGER = "id.camelpayouts.input.LastingFailureTest.subject";

    final AtomicLong now = new AtomicLong();
    final List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
    final AbstractAppender appender = new AbstractAppender("lasting-failure", null, null, true, Property.EMPTY_ARRAY) {
        @Override
        public void append(LogEvent event) {
            lines.add(event.getLevel() + " " + event.getMessage().getFormattedMessage()
                    + (event.getThrown() == null ? "" : " +trace"));
        }
    };
    LastingFailure failure;

    @BeforeEach
    void attach() {
        appender.start();
        LoggerContext logging = (LoggerContext) LogManager.getContext(false);
        LoggerConfig logger = new LoggerConfig(LOGGER, Level.INFO, false);
        logger.addAppender(appender, Level.ALL, null);
        logging.getConfiguration().addLogger(LOGGER, logger);
        logging.updateLoggers();
        failure = new LastingFailure(LoggerFactory.getLogger(LOGGER), "Results files", Duration.ofMinutes(1), now::get);
    }

    @AfterEach
    void detach() {
        LoggerContext logging = (LoggerContext) LogManager.getContext(false);
        logging.getConfiguration().removeLogger(LOGGER);
        logging.updateLoggers();
    }

    @Test
    void anHourOfFailuresTwiceASecondIsAFewLinesNoTrace() {
        IOException full = new IOException("Cannot store file: outbox/x.results.csv",
                new IOException("No space left on device"));
        for (int i = 0; i < 7200; i++) { // an hour, every 0.5 s
            failure.failed(full);
            now.addAndGet(500_000_000L);
        }
        assertThat(failure.failing()).isTrue();
        assertThat(failure.failures()).isEqualTo(7200);
        assertThat(lines).hasSize(60).allSatisfy(line -> assertThat(line).startsWith("WARN").doesNotContain("+trace"));
        assertThat(lines.get(0)).contains("Results files cannot be written").contains("No space left on device")
                .contains("x.results.csv");
        assertThat(lines.get(1)).contains("still cannot be written: 121 failed attempts in 60 s");

        failure.failed(new AccessDeniedException("outbox"));
        assertThat(lines).as("another kind of failure is told at once").hasSize(61);
        assertThat(lines.get(60)).contains("AccessDeniedException");

        failure.succeeded();
        failure.succeeded();
        assertThat(lines).hasSize(62);
        assertThat(lines.get(61)).startsWith("INFO Results files written again after 7201 failed attempts in 3600 s");
        assertThat(failure.failing()).isFalse();

        failure.failed(full);
        assertThat(lines).as("a new failure after the recovery is told again").hasSize(63);
    }

    @Test
    void theTraceAtDebugOnly() {
        LoggerContext logging = (LoggerContext) LogManager.getContext(false);
        logging.getConfiguration().getLoggerConfig(LOGGER).setLevel(Level.DEBUG);
        logging.updateLoggers();
        failure.failed(new IOException("disk"));
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).startsWith("DEBUG").endsWith("+trace");
    }
}
