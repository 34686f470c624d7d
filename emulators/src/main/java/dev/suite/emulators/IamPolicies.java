package dev.suite.emulators;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The identity policies of the template's functions, evaluated as IAM evaluates them: a request is allowed when a
 * statement of the function's role allows its action on its resource with every condition met, and no statement denies
 * it (an explicit Deny wins). Actions match case-insensitively with {@code *} and {@code ?}; resources case-sensitively
 * with the same wildcards; {@code ${...}}, {@code !Sub}, {@code !GetAtt} and {@code !Ref} resolve as CloudFormation
 * resolves them locally ({@link Resolver}). A role's statements are its function's {@code Policies} and every
 * {@code AWS::IAM::Policy} whose {@code Roles} name {@code <Function>Role}.
 *
 * <p>Conditions: the String operators (StringEquals, StringNotEquals, StringLike, StringNotLike), ArnEquals/ArnLike,
 * Bool and Null, with the {@code ForAllValues:}/{@code ForAnyValue:} set prefixes and the {@code IfExists} suffix. A key
 * the request does not carry fails a plain operator, passes {@code ForAllValues:} and fails {@code ForAnyValue:}, as in
 * IAM.
 */
public final class IamPolicies {
    /** One statement of a function's role; {@code index} counts the role's statements from 0 in template order. */
    public record Statement(
            String function,
            int index,
            String sid,
            boolean allow,
            List<String> actions,
            List<String> resources,
            Map<String, Map<String, List<String>>> conditions) {
        /** How the report names it: the Sid, or the function and its position. */
        public String label() {
            return sid != null ? function + "/" + sid : function + "#" + index;
        }
    }

    /** What a call asks for: one IAM action on one resource ARN, with the condition keys the request carries. */
    public record Request(String action, String resource, Map<String, List<String>> context) {
        public Request(String action, String resource) {
            this(action, resource, Map.of());
        }
    }

    /**
     * The outcome; {@code statement} is the allowing statement, or the denying one for an explicit deny (else null).
     */
    public record Decision(boolean allowed, Statement statement, Request request) {}

    private final Map<String, List<Statement>> byFunction;

    public IamPolicies(Map<String, List<Statement>> byFunction) {
        this.byFunction = byFunction;
    }

    /** Every function's role statements, resolved against the local resources. */
    public static IamPolicies of(Template template, Resolver resolver) {
        Map<String, List<Statement>> out = new LinkedHashMap<>();
        Map<String, String> functionByRole = new LinkedHashMap<>();
        template.resourcesOfType("AWS::Serverless::Function").forEach((fn, r) -> {
            functionByRole.put(fn + "Role", fn);
            List<Statement> statements = new ArrayList<>();
            Object policies = template.properties(fn).get("Policies");
            for (Object policy : policies instanceof List<?> l ? l : policies == null ? List.of() : List.of(policies)) {
                if (!(policy instanceof Map<?, ?> m) || !m.containsKey("Statement")) {
                    throw new IllegalStateException(fn + ": only inline policy documents are modelled, not " + policy);
                }
                statements(fn, m.get("Statement"), resolver, statements);
            }
            out.put(fn, statements);
        });
        template.resourcesOfType("AWS::IAM::Policy").forEach((id, r) -> {
            Map<String, Object> p = Template.cast(r.get("Properties"));
            for (Object role : (List<?>) p.getOrDefault("Roles", List.of())) {
                Object name = role instanceof Map<?, ?> m ? m.get("Ref") : role;
                String fn = functionByRole.get(String.valueOf(name));
                if (fn != null) {
                    Map<String, Object> doc = Template.cast(p.get("PolicyDocument"));
                    statements(fn, doc.get("Statement"), resolver, out.get(fn));
                }
            }
        });
        return new IamPolicies(out);
    }

    private static void statements(String fn, Object statements, Resolver resolver, List<Statement> into) {
        for (Object s : statements instanceof List<?> l ? l : List.of(statements)) {
            Map<?, ?> st = (Map<?, ?>) s;
            if (st.containsKey("NotAction") || st.containsKey("NotResource")) {
                throw new IllegalStateException(fn + ": NotAction/NotResource are not modelled");
            }
            Map<String, Map<String, List<String>>> conditions = new LinkedHashMap<>();
            Object condition = resolver.resolve(st.get("Condition"));
            if (condition instanceof Map<?, ?> cm) {
                cm.forEach((op, keys) -> {
                    Map<String, List<String>> k = new LinkedHashMap<>();
                    ((Map<?, ?>) keys).forEach((key, values) -> k.put(String.valueOf(key), strings(values)));
                    conditions.put(String.valueOf(op), k);
                });
            }
            into.add(new Statement(
                    fn,
                    into.size(),
                    st.get("Sid") == null ? null : String.valueOf(st.get("Sid")),
                    "Allow".equals(st.get("Effect")),
                    strings(st.get("Action")),
                    strings(resolver.resolve(st.get("Resource"))),
                    conditions));
        }
    }

    private static List<String> strings(Object o) {
        List<String> out = new ArrayList<>();
        for (Object x : o instanceof List<?> l ? l : o == null ? List.of() : List.of(o)) {
            out.add(String.valueOf(x));
        }
        return out;
    }

    public List<Statement> statements(String function) {
        List<Statement> s = byFunction.get(function);
        if (s == null) {
            throw new IllegalArgumentException("no function " + function + " in the template");
        }
        return s;
    }

    public Map<String, List<Statement>> all() {
        return byFunction;
    }

    public Decision evaluate(String function, Request request) {
        Statement allowing = null;
        for (Statement s : statements(function)) {
            if (matches(s, request)) {
                if (!s.allow()) {
                    return new Decision(false, s, request);
                }
                if (allowing == null) {
                    allowing = s;
                }
            }
        }
        return new Decision(allowing != null, allowing, request);
    }

    static boolean matches(Statement s, Request r) {
        return s.actions().stream()
                        .anyMatch(a ->
                                wildcard(a.toLowerCase(Locale.ROOT), r.action().toLowerCase(Locale.ROOT)))
                && s.resources().stream().anyMatch(p -> wildcard(p, r.resource()))
                && s.conditions().entrySet().stream()
                        .allMatch(c -> c.getValue().entrySet().stream()
                                .allMatch(k -> condition(c.getKey(), r.context().get(k.getKey()), k.getValue())));
    }

    /** IAM's wildcards: {@code *} any run of characters, {@code ?} one character, everything else literal. */
    static boolean wildcard(String pattern, String value) {
        return COMPILED.computeIfAbsent(pattern, p -> {
                    StringBuilder re = new StringBuilder();
                    for (char c : p.toCharArray()) {
                        switch (c) {
                            case '*' -> re.append(".*");
                            case '?' -> re.append('.');
                            default -> re.append(Pattern.quote(String.valueOf(c)));
                        }
                    }
                    return Pattern.compile(re.toString(), Pattern.DOTALL);
                })
                .matcher(value)
                .matches();
    }

    /** Every pattern of the template, compiled once (each call of every test is evaluated). */
    private static final Map<String, Pattern> COMPILED = new java.util.concurrent.ConcurrentHashMap<>();

    static boolean condition(String operator, List<String> values, List<String> expected) {
        String op = operator;
        String set = null;
        int colon = op.indexOf(':');
        if (colon > 0) {
            set = op.substring(0, colon);
            op = op.substring(colon + 1);
        }
        boolean ifExists = op.endsWith("IfExists");
        if (ifExists) {
            op = op.substring(0, op.length() - "IfExists".length());
        }
        if (op.equals("Null")) {
            boolean absent = values == null || values.isEmpty();
            return expected.contains(String.valueOf(absent));
        }
        if (values == null || values.isEmpty()) {
            return "ForAllValues".equals(set) || ifExists;
        }
        String base = op;
        if ("ForAllValues".equals(set)) {
            return values.stream().allMatch(v -> one(base, v, expected));
        }
        if ("ForAnyValue".equals(set)) {
            return values.stream().anyMatch(v -> one(base, v, expected));
        }
        if (set != null) {
            throw new IllegalArgumentException("unknown condition set operator " + operator);
        }
        return values.size() == 1 && one(base, values.get(0), expected);
    }

    private static boolean one(String op, String value, List<String> expected) {
        return switch (op) {
            case "StringEquals", "ArnEquals" -> expected.contains(value);
            case "StringNotEquals", "ArnNotEquals" -> !expected.contains(value);
            case "StringEqualsIgnoreCase" -> expected.stream().anyMatch(value::equalsIgnoreCase);
            case "StringLike", "ArnLike" -> expected.stream().anyMatch(p -> wildcard(p, value));
            case "StringNotLike", "ArnNotLike" -> expected.stream().noneMatch(p -> wildcard(p, value));
            case "Bool" -> expected.stream().anyMatch(value::equalsIgnoreCase);
            default -> throw new IllegalArgumentException("condition operator " + op + " is not modelled");
        };
    }

    /** AWS's words for a refusal, naming the caller's role session, the action and the resource. */
    public static String deniedMessage(String function, Request request, boolean explicit) {
        return "User: arn:aws:sts::000000000000:assumed-role/" + function + "Role/" + function
                + " is not authorized to perform: " + request.action() + " on resource: " + request.resource()
                + (explicit
                        ? " with an explicit deny in an identity-based policy"
                        : " because no identity-based policy allows the " + request.action() + " action");
    }
}
