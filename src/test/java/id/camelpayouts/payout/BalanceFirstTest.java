package id.camelpayouts.payout;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import id.camelpayouts.ledger.TestPayouts;

/**
 * A transfer of a batch whose balance is being read waits for it; any other goes at once; a balance
 * that never comes holds nothing back for longer than the bound.
 */
class BalanceFirstTest {

    private final BalanceFirst balanceFirst = new BalanceFirst(Duration.ofHours(1));
    private final Processor await = balanceFirst.await();

    @Test
    void aTransferOfAFileWhoseBalanceIsBeingReadGoesOnlyOnceItWasRead() throws Exception {
        balanceFirst.reading("payroll.csv");
        CompletableFuture<Void> transfer = CompletableFuture.runAsync(() -> claim("payroll.csv"));

        assertThat(transfer).as("waiting for the balance").isNotDone();
        balanceFirst.read("payroll.csv");
        transfer.get(1, TimeUnit.MINUTES);
    }

    @Test
    void aTransferOfAnotherBatchOrOfNoneGoesAtOnce() throws Exception {
        balanceFirst.reading("payroll.csv");

        CompletableFuture.runAsync(() -> claim("other.csv")).get(1, TimeUnit.MINUTES);
        CompletableFuture.runAsync(() -> claim(null)).get(1, TimeUnit.MINUTES);
    }

    @Test
    void aBalanceThatDoesNotComeHoldsTransfersBackOnlyForTheBound() throws Exception {
        BalanceFirst briefly = new BalanceFirst(Duration.ofMillis(10));
        briefly.reading("payroll.csv");
        Exchange exchange = exchange("payroll.csv");

        CompletableFuture.runAsync(() -> run(briefly.await(), exchange)).get(1, TimeUnit.MINUTES);
        CompletableFuture.runAsync(() -> run(briefly.await(), exchange("payroll.csv"))).get(1, TimeUnit.MINUTES);
    }

    private void claim(String batch) {
        run(await, exchange(batch));
    }

    private static void run(Processor processor, Exchange exchange) {
        try {
            processor.process(exchange);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Exchange exchange(String batch) {
        PayoutInstruction instruction = new InstructionParser().parse(Map.of("reference", "r1", "bankCode", "014",
                "accountNumber", "1234567890", "amount", 50000)).instruction();
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setVariable("payout", TestPayouts.of(batch == null ? instruction : instruction.inBatch(batch), null));
        return exchange;
    }
}
