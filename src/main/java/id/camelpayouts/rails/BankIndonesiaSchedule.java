package id.camelpayouts.rails;

import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Set;

/**
 * Bank Indonesia's window for LLG and RTGS: business days (Monday to Friday, not a configured
 * holiday), from 08:00 until 15:00 Western Indonesia Time. The clock can be replaced, so that
 * tests and rehearsals can run at any hour.
 */
public class BankIndonesiaSchedule {

    public static final ZoneId WIB = ZoneId.of("Asia/Jakarta");
    private final LocalTime opens;
    private final LocalTime closes;
    private final Set<LocalDate> holidays;
    private volatile Clock clock;

    public BankIndonesiaSchedule(LocalTime opens, LocalTime closes, Set<LocalDate> holidays, Clock clock) {
        this.opens = opens;
        this.closes = closes;
        this.holidays = Set.copyOf(holidays);
        this.clock = clock;
    }

    public void useClock(Clock clock) {
        this.clock = clock;
    }

    public boolean isOpen() {
        ZonedDateTime now = ZonedDateTime.now(clock).withZoneSameInstant(WIB);
        return businessDay(now.toLocalDate()) && !now.toLocalTime().isBefore(opens)
                && now.toLocalTime().isBefore(closes);
    }

    /** The window's hours, e.g. "08:00-15:00" (Western Indonesia Time), for reasons a person reads. */
    public String hours() {
        return opens + "-" + closes;
    }

    /** The next moment the window opens (now, if it is open). */
    public Instant nextOpening() {
        if (isOpen()) {
            return clock.instant();
        }
        ZonedDateTime now = ZonedDateTime.now(clock).withZoneSameInstant(WIB);
        LocalDate day = now.toLocalTime().isBefore(opens) ? now.toLocalDate() : now.toLocalDate().plusDays(1);
        while (!businessDay(day)) {
            day = day.plusDays(1);
        }
        return day.atTime(opens).atZone(WIB).toInstant();
    }

    /** How long until the window opens (zero when it is open). */
    public java.time.Duration untilOpen() {
        return java.time.Duration.between(clock.instant(), nextOpening());
    }

    private boolean businessDay(LocalDate day) {
        return day.getDayOfWeek() != DayOfWeek.SATURDAY && day.getDayOfWeek() != DayOfWeek.SUNDAY
                && !holidays.contains(day);
    }
}
