package id.camelpayouts.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** A dropped file's total for a provider, compared with its balance before the file's money moves. */
class FileFundsTest {

    private final FileFunds funds = new FileFunds(null, "duitku");

    private long total(String name, String content, String provider) {
        List<Object> rows = PayoutFileReader.read(name, content.getBytes(StandardCharsets.UTF_8), 100);
        return funds.total(new PayoutFiles.Batch("id", name, rows, Instant.now(), new ArrayList<>()), provider);
    }

    @Test
    void aCsvFileCountsItsRowsForTheProvider() {
        String csv = """
                reference,provider,bankCode,accountNumber,amount
                a,,014,8760673566,50000
                b,duitku,014,8760673566,25000
                c,durianpay,014,8760673566,70000
                d,,014,8760673566,not-a-number
                """;
        assertThat(total("f.csv", csv, "duitku")).isEqualTo(75_000);
        assertThat(total("f.csv", csv, "durianpay")).isEqualTo(70_000);
    }

    /** A JSON file's rows are kept as their text (the intake reads each strictly): they count as a CSV's do. */
    @Test
    void aJsonArrayAndJsonLinesCountTheirRowsToo() {
        String array = """
                [{"reference":"a","bankCode":"014","accountNumber":"8760673566","amount":50000},
                 {"reference":"b","provider":"DUITKU","bankCode":"014","accountNumber":"8760673566","amount":"25000"},
                 {"reference":"c","provider":"durianpay","bankCode":"014","accountNumber":"8760673566","amount":70000},
                 {"reference":"d","bankCode":"014","accountNumber":"8760673566","amount":1.5},
                 "not an object"]
                """;
        assertThat(total("f.json", array, "duitku")).isEqualTo(75_000);
        assertThat(total("f.json", array, "durianpay")).isEqualTo(70_000);
        String lines = """
                {"reference":"a","bankCode":"014","accountNumber":"8760673566","amount":60000}
                {"reference":"b","bankCode":"009","accountNumber":"0123456789","amount":90000}
                {broken
                """;
        assertThat(total("f.json", lines, "duitku")).isEqualTo(150_000);
    }

    /** A reference given again counts once, at its first row: the repeat is paid once, another instruction under it refused. */
    @Test
    void aReferenceGivenAgainCountsOnce() {
        String csv = """
                reference,provider,bankCode,accountNumber,amount
                a,,014,8760673566,50000
                b,,014,8760673566,25000
                a,,014,8760673566,50000
                b,,014,8760673566,30000
                """;
        assertThat(total("f.csv", csv, "duitku")).isEqualTo(75_000);
    }
}
