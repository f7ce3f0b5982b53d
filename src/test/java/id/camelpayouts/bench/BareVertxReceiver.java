package id.camelpayouts.bench;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;

import id.camelpayouts.duitku.DuitkuCallbacks;
import id.camelpayouts.duitku.DuitkuSignature;

/**
 * Baseline for startup, memory and callbacks: a fresh JVM with a bare Vert.x HTTP server (one
 * event loop, as the gateway's platform-http server) answering GET /health with UP and POST
 * /callbacks/duitku/clearing with the gateway's own check (DuitkuCallbacks: bounded strict JSON,
 * field bounds, required fields, userId, constant-time SHA-256 signature), SUCCESS or 401. No Camel, no ledger.
 *
 * Arguments: port email secretKey userId
 */
public final class BareVertxReceiver {

    private BareVertxReceiver() {
    }

    public static void main(String... args) {
        int port = Integer.parseInt(args[0]);
        DuitkuCallbacks callbacks = new DuitkuCallbacks(new DuitkuSignature(args[1], args[2]),
                Long.parseLong(args[3]));
        Vertx vertx = Vertx.vertx();
        vertx.createHttpServer().requestHandler(request -> {
            if (request.method() == HttpMethod.GET && "/health".equals(request.path())) {
                request.response().putHeader("Content-Type", "application/json").end("{\"status\":\"UP\"}");
            } else if (request.method() == HttpMethod.POST && "/callbacks/duitku/clearing".equals(request.path())) {
                request.body().onSuccess(body -> {
                    DuitkuCallbacks.Callback callback = callbacks.clearing(body.getBytes());
                    if (callback.refusal() != null) {
                        request.response().setStatusCode(callback.refusal().status()).end(callback.refusal().reason());
                    } else {
                        request.response().end("SUCCESS");
                    }
                });
            } else {
                request.response().setStatusCode(404).end();
            }
        }).listen(port, "127.0.0.1").onFailure(e -> {
            e.printStackTrace();
            System.exit(1);
        });
    }
}
