package id.camelpayouts.routes;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/** One {@link DurianpayEngine} per test class (its tests share it: each uses payouts of its own). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DurianpayRouteTestSupport {

    static final String ACCOUNT = "1234567890";

    DurianpayEngine engine;

    @BeforeAll
    void startEngine() throws Exception {
        engine = new DurianpayEngine();
    }

    @AfterAll
    void stopEngine() {
        if (engine != null) {
            engine.close();
        }
    }
}
