package id.camelpayouts.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import id.camelpayouts.ledger.Payout;

/**
 * The worker's one choice (routes/engine/route-payout.camel.yaml): send down exactly one
 * provider's flow, reject before anything is sent, or wait for Bank Indonesia's window. The
 * provider flows are replaced by mock endpoints, so each case says where the payout went and
 * that it went nowhere else.
 */
class RoutePayoutRouteTest extends DuitkuRouteTestSupport {

    static final String[] FLOWS = {"duitku-transfer", "duitku-cashout", "durianpay-transfer"};
    /** Saturday 28 November 2026, 10:00 WIB: Bank Indonesia's window is closed until Monday 08:00. */
    static final Instant SATURDAY = Instant.parse("2026-11-28T03:00:00Z");

    @BeforeAll
    void replaceTheProviderFlows() throws Exception {
        AdviceWith.adviceWith(context, "route-payout", route -> {
            for (String flow : FLOWS) {
                route.weaveByToUri("direct:" + flow).replace().to("mock:" + flow);
            }
        });
    }

    @BeforeEach
    void resetMocks() {
        MockEndpoint.resetMocks(context);
    }

    @Test
    void aDurianpayPayoutGoesDownDurianpaysFlowOnlyAsOnline() {
        Payout payout = work(submit("durianpay", "AUTO", "014", "5550123456", 5_000_000));

        assertThat(sentTo()).containsExactly("durianpay-transfer");
        assertThat(handedTo("durianpay-transfer").getProvider()).isEqualTo("durianpay");
        assertThat(handedTo("durianpay-transfer").getMethod()).isEqualTo("ONLINE");
        assertThat(payout.getStatus()).isEqualTo(Payout.PENDING);
    }

    @Test
    void durianpayRefusesAnyOtherMethodBeforeAnythingIsSent() {
        Payout payout = work(submit("durianpay", "BIFAST", "014", "5550123456", 5_000_000));

        assertThat(sentTo()).isEmpty();
        assertThat(payout.getStatus()).isEqualTo(Payout.REJECTED);
        assertThat(payout.getReason()).isEqualTo("Durianpay pays by interbank transfer (ONLINE or AUTO), not BIFAST");
        assertThat(payout.getMethod()).isEqualTo("BIFAST");
    }

    @Test
    void noProviderNamedGoesToTheDefaultProviderOnTheFirstRailThatTakesIt() {
        Payout payout = work(submit(null, "AUTO", "014", "5550123456", 60_000_000)); // above BCA's online maximum

        assertThat(sentTo()).containsExactly("duitku-transfer");
        assertThat(handedTo("duitku-transfer").getProvider()).isEqualTo("duitku");
        assertThat(handedTo("duitku-transfer").getMethod()).isEqualTo("BIFAST");
    }

    @Test
    void aCashOutGoesToTheCashOutFlow() {
        Payout payout = work(submit("duitku", "CASHOUT", "2011", "081234567150", 150_000));

        assertThat(sentTo()).containsExactly("duitku-cashout");
        assertThat(payout.getMethod()).isEqualTo("CASHOUT");
    }

    @Test
    void aPayoutNoRailTakesIsRejectedWithTheReasonAndSentNowhere() {
        Payout payout = work(submit("duitku", "CASHOUT", "2010", "081234567150", 75_000));

        assertThat(sentTo()).isEmpty();
        assertThat(payout.getStatus()).isEqualTo(Payout.REJECTED);
        assertThat(payout.getReason()).isEqualTo("Indomaret cash out takes multiples of Rp50000 from Rp50000 to Rp1000000");
        assertThat(history(payout)).last().asString().startsWith("FINAL REJECTED");
    }

    @Test
    void rtgsOutsideBankIndonesiasWindowWaitsAndGoesOnceItOpens() {
        clock.set(SATURDAY);
        Payout payout = work(submit("duitku", "RTGS", "014", "5550123456", 150_000_000));

        assertThat(sentTo()).isEmpty();
        assertThat(payout.getStatus()).isEqualTo(Payout.PENDING);
        assertThat(payout.getReason()).isEqualTo("waiting for Bank Indonesia's RTGS window (business days "
                + "08:00-15:00 WIB), which opens at 2026-11-30T01:00:00Z");

        clock.set(Instant.parse("2026-11-30T01:00:00Z")); // Monday 08:00 WIB
        work(payout);

        assertThat(sentTo()).containsExactly("duitku-transfer");
    }

    /**
     * The payout as the flow got it (its {@code payout} variable): the routing's choice is on the
     * worker's copy, and the ledger writes it with the flow's first change (here the flows are mocks).
     */
    private Payout handedTo(String flow) {
        return context.getEndpoint("mock:" + flow, MockEndpoint.class).getReceivedExchanges().get(0)
                .getVariable("payout", Payout.class);
    }

    /** The flows the payout was handed to (each mock counts its messages). */
    private List<String> sentTo() {
        List<String> flows = new ArrayList<>();
        for (String flow : FLOWS) {
            for (int i = 0; i < context.getEndpoint("mock:" + flow, MockEndpoint.class).getReceivedCounter(); i++) {
                flows.add(flow);
            }
        }
        return flows;
    }
}
