package id.camelpayouts.gateway;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/**
 * Everything logged while attached (logger name, message and stack trace of each event), for
 * tests that search the log for what must never be in it.
 */
final class CapturedLog extends AbstractAppender {

    private final Queue<String> lines = new ConcurrentLinkedQueue<>();

    private CapturedLog(String name) {
        super(name, null, null, true, Property.EMPTY_ARRAY);
    }

    /** Attaches to the root logger, at every level its loggers let through. */
    static CapturedLog attach(String name) {
        CapturedLog log = new CapturedLog(name);
        log.start();
        LoggerContext logging = (LoggerContext) LogManager.getContext(false);
        logging.getConfiguration().addAppender(log);
        logging.getConfiguration().getRootLogger().addAppender(log, Level.ALL, null);
        logging.updateLoggers();
        return log;
    }

    /** {@link #attach}, with the root logger at INFO, what production logs (the tests' default is WARN). */
    static CapturedLog attachAtInfo(String name) {
        CapturedLog log = attach(name);
        LoggerContext logging = (LoggerContext) LogManager.getContext(false);
        logging.getConfiguration().getRootLogger().setLevel(Level.INFO);
        logging.updateLoggers();
        return log;
    }

    /** {@link #detach}, with the root logger back at the tests' default, WARN. */
    void detachToWarn() {
        detach();
        LoggerContext logging = (LoggerContext) LogManager.getContext(false);
        logging.getConfiguration().getRootLogger().setLevel(Level.WARN);
        logging.updateLoggers();
    }

    void detach() {
        LoggerContext logging = (LoggerContext) LogManager.getContext(false);
        logging.getConfiguration().getRootLogger().removeAppender(getName());
        logging.updateLoggers();
    }

    Queue<String> lines() {
        return lines;
    }

    @Override
    public void append(LogEvent event) {
        StringBuilder line = new StringBuilder(event.getLoggerName()).append(' ')
                .append(event.getMessage().getFormattedMessage());
        if (event.getThrown() != null) {
            StringWriter trace = new StringWriter();
            event.getThrown().printStackTrace(new PrintWriter(trace));
            line.append(' ').append(trace);
        }
        lines.add(line.toString());
    }
}
