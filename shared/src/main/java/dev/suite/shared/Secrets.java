package dev.suite.shared;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.Parameter;

/**
 * A secret by name: the plain value NAME in the environment (local runs, tests), or the SSM SecureString whose
 * parameter name is NAME_PARAM (AWS), read with the SDK's {@link SsmClient} ({@code GetParameter} with
 * {@code WithDecryption}) and cached for five minutes. Never logged; the template holds parameter names only. The
 * secrets of one configuration share one SSM client, built when the first secret is read. The Parameters and Secrets
 * Lambda extension is not used: it authenticates callers with {@code AWS_SESSION_TOKEN}, which SnapStart functions do
 * not get (they read container credentials), and every function here runs with SnapStart.
 */
public final class Secrets {
    static final Duration MAX_AGE = Duration.ofMinutes(5);
    private static final Map<Config, Lazy<SsmClient>> CLIENTS = Collections.synchronizedMap(new WeakHashMap<>());

    private Secrets() {}

    public static Supplier<String> supplier(Config config, String name) {
        var plain = config.get(name);
        if (plain.isPresent()) {
            String value = plain.get();
            return () -> value;
        }
        String parameter = config.get(name + "_PARAM")
                .orElseThrow(() -> new IllegalStateException(
                        "configure " + name + " (local) or " + name + "_PARAM (an SSM parameter name)"));
        return new Ssm(config, parameter, Clock.systemUTC());
    }

    /** One SSM parameter, read with decryption when first needed and again once {@link #MAX_AGE} has passed. */
    static final class Ssm implements Supplier<String> {
        private final String parameter;
        private final Lazy<SsmClient> ssm;
        private final Clock clock;
        private volatile String value;
        private volatile Instant fetchedAt = Instant.MIN;

        Ssm(Config config, String parameter, Clock clock) {
            this.parameter = parameter;
            this.ssm = CLIENTS.computeIfAbsent(config, c -> Lazy.of(() -> Clients.ssm(c)));
            this.clock = clock;
        }

        @Override
        public String get() {
            Instant now = clock.instant();
            if (value == null || now.isAfter(fetchedAt.plus(MAX_AGE))) {
                synchronized (this) {
                    if (value == null || now.isAfter(fetchedAt.plus(MAX_AGE))) {
                        value = fetch();
                        fetchedAt = now;
                    }
                }
            }
            return value;
        }

        private String fetch() {
            try {
                Parameter p = ssm.get()
                        .getParameter(b -> b.name(parameter).withDecryption(true))
                        .parameter();
                if (p == null || p.value() == null) {
                    throw new IllegalStateException("SSM GetParameter " + parameter + " answered no value");
                }
                return p.value();
            } catch (AwsServiceException e) {
                // the error code only (ParameterNotFound, AccessDeniedException, ...): never the body of a success
                throw new IllegalStateException(
                        "SSM GetParameter " + parameter + " answered " + e.statusCode() + " "
                                + (e.awsErrorDetails() == null
                                        ? ""
                                        : e.awsErrorDetails().errorCode()),
                        e);
            }
        }
    }
}
