package dev.suite.shared;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A secret by name: the plain value NAME in the environment (local runs, tests), or the SSM SecureString whose
 * parameter name is NAME_PARAM (AWS), decrypted and cached for five minutes. Never logged; the template holds parameter
 * names only.
 *
 * <p>SSM is called directly: one SigV4-signed {@code AmazonSSM.GetParameter} POST (the awsJson1_1 protocol) over the
 * same URLConnection client, region and credentials provider as every other client. The SSM SDK module and Powertools'
 * parameters provider weighed 5.3 MB and 3,300 classes in each jar for this one call. The Parameters and Secrets Lambda
 * extension is not used: it authenticates callers with {@code AWS_SESSION_TOKEN}, which SnapStart functions do not
 * get (they read container credentials), and every function here runs with SnapStart.
 */
public final class Secrets {
    static final Duration MAX_AGE = Duration.ofMinutes(5);

    private Secrets() {
    }

    public static Supplier<String> supplier(Config config, String name) {
        var plain = config.get(name);
        if (plain.isPresent()) {
            String value = plain.get();
            return () -> value;
        }
        String parameter = config.get(name + "_PARAM").orElseThrow(() ->
                new IllegalStateException("configure " + name + " (local) or " + name + "_PARAM (an SSM parameter name)"));
        return new Ssm(config, parameter, Clock.systemUTC());
    }

    /** One SSM parameter, read with decryption when first needed and again once {@link #MAX_AGE} has passed. */
    static final class Ssm implements Supplier<String> {
        private final String parameter;
        private final AwsJsonApi ssm;
        private final Clock clock;
        private volatile String value;
        private volatile Instant fetchedAt = Instant.MIN;

        Ssm(Config config, String parameter, Clock clock) {
            this.parameter = parameter;
            this.ssm = new AwsJsonApi(config, "SSM", "ssm", "AmazonSSM.");
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
                AwsJsonApi.Answer answer = ssm.post("GetParameter", Map.of("Name", parameter, "WithDecryption", true), true);
                if (!answer.ok() || !answer.body().path("Parameter").path("Value").isTextual()) {
                    // the error type only (ParameterNotFound, AccessDeniedException, ...): never the body of a success
                    throw new IllegalStateException("SSM GetParameter " + parameter + " answered " + answer.status()
                            + " " + (answer.errorType() == null ? "" : answer.errorType()) + " " + answer.message());
                }
                return answer.body().path("Parameter").path("Value").asText();
            } catch (IOException e) {
                throw new UncheckedIOException("SSM GetParameter " + parameter + " failed", e);
            }
        }
    }
}
