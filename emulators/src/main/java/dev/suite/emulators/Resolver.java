package dev.suite.emulators;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves CloudFormation intrinsics (Ref, GetAtt, Sub, Join, If and the condition functions) against local
 * resources: a table's Ref is its local name, the pool's Ref its cognito-local id, a parameter its default.
 */
public final class Resolver {
    private static final Pattern SUB = Pattern.compile("\\$\\{([^}!][^}]*)}");
    private final Template template;
    private final Map<String, String> refs;
    private final Map<String, String> parameters = new LinkedHashMap<>();

    public Resolver(Template template, Map<String, String> refs, Map<String, String> parameterOverrides) {
        this.template = template;
        this.refs = refs;
        template.parameters().forEach((name, p) -> {
            Object def = Template.<Map<String, Object>>cast(p).get("Default");
            if (def != null) {
                parameters.put(name, String.valueOf(def));
            }
        });
        parameters.putAll(parameterOverrides);
    }

    public String string(Object value) {
        Object r = resolve(value);
        return r == null ? null : String.valueOf(r);
    }

    public Object resolve(Object value) {
        if (value instanceof Map<?, ?> m) {
            if (m.size() == 1) {
                Map.Entry<?, ?> e = m.entrySet().iterator().next();
                String k = String.valueOf(e.getKey());
                switch (k) {
                    case "Ref":
                        return ref(String.valueOf(e.getValue()));
                    case "Fn::GetAtt": {
                        List<?> parts = e.getValue() instanceof List<?> l
                                ? l
                                : List.of(String.valueOf(e.getValue()).split("\\.", 2));
                        return getAtt(String.valueOf(parts.get(0)), String.valueOf(parts.get(1)));
                    }
                    case "Fn::Sub":
                        return sub(e.getValue());
                    case "Fn::Join": {
                        List<?> args = (List<?>) e.getValue();
                        List<String> items = new ArrayList<>();
                        for (Object o : (List<?>) resolve(args.get(1))) {
                            items.add(String.valueOf(o));
                        }
                        return String.join(String.valueOf(args.get(0)), items);
                    }
                    case "Fn::If": {
                        List<?> args = (List<?>) e.getValue();
                        return resolve(condition(String.valueOf(args.get(0))) ? args.get(1) : args.get(2));
                    }
                    case "Fn::Equals": {
                        List<?> args = (List<?>) e.getValue();
                        return String.valueOf(resolve(args.get(0))).equals(String.valueOf(resolve(args.get(1))));
                    }
                    case "Fn::Not":
                        return !truthy(resolve(((List<?>) e.getValue()).get(0)));
                    case "Fn::And":
                        return ((List<?>) e.getValue()).stream().allMatch(o -> truthy(resolve(o)));
                    case "Fn::Or":
                        return ((List<?>) e.getValue()).stream().anyMatch(o -> truthy(resolve(o)));
                    case "Condition":
                        return condition(String.valueOf(e.getValue()));
                    default:
                        break;
                }
            }
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), resolve(v)));
            return out;
        }
        if (value instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object o : l) {
                out.add(resolve(o));
            }
            return out;
        }
        return value;
    }

    public boolean condition(String name) {
        Map<String, Object> conditions = Template.cast(template.raw().getOrDefault("Conditions", Map.of()));
        Object c = conditions.get(name);
        if (c == null) {
            throw new IllegalArgumentException("unknown condition " + name);
        }
        return truthy(resolve(c));
    }

    private static boolean truthy(Object o) {
        return o instanceof Boolean b ? b : Boolean.parseBoolean(String.valueOf(o));
    }

    public String ref(String name) {
        switch (name) {
            case "AWS::Region":
                return refs.getOrDefault("AWS::Region", "us-east-1");
            case "AWS::AccountId":
                return "000000000000";
            case "AWS::StackName":
                return "suite-local";
            case "AWS::Partition":
                return "aws";
            case "AWS::URLSuffix":
                return "amazonaws.com";
            case "AWS::NoValue":
                return null;
            default:
                break;
        }
        if (parameters.containsKey(name)) {
            return parameters.get(name);
        }
        if (refs.containsKey(name)) {
            return refs.get(name);
        }
        int dot = name.indexOf('.');
        if (dot > 0) {
            // SAM's referenceable properties: MyFunction.Alias, MyFunction.Version
            return name.substring(0, dot);
        }
        return name;
    }

    public String getAtt(String resource, String attribute) {
        String key = resource + "." + attribute;
        if (refs.containsKey(key)) {
            return refs.get(key);
        }
        if (attribute.equals("Arn")) {
            // the ARNs IAM sees for the resources the emulators hold; anything else keeps a local form
            Map<String, Object> r = template.resources().get(resource);
            String type = r == null ? "" : String.valueOf(r.get("Type"));
            String region = ref("AWS::Region");
            return switch (type) {
                case "AWS::DynamoDB::Table" -> "arn:aws:dynamodb:" + region + ":000000000000:table/" + ref(resource);
                case "AWS::S3::Bucket" -> "arn:aws:s3:::" + ref(resource);
                case "AWS::Cognito::UserPool" ->
                    "arn:aws:cognito-idp:" + region + ":000000000000:userpool/" + ref(resource);
                default -> "arn:aws:local:" + region + ":000000000000:" + resource;
            };
        }
        return ref(resource);
    }

    private String sub(Object arg) {
        String text;
        Map<String, Object> vars = Map.of();
        if (arg instanceof List<?> l) {
            text = String.valueOf(l.get(0));
            vars = Template.cast(l.get(1));
        } else {
            text = String.valueOf(arg);
        }
        Matcher m = SUB.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String v;
            if (vars.containsKey(name)) {
                v = String.valueOf(resolve(vars.get(name)));
            } else if (name.contains(".") && !name.startsWith("AWS::")) {
                String[] parts = name.split("\\.", 2);
                v = getAtt(parts[0], parts[1]);
            } else {
                v = ref(name);
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(v == null ? "" : v));
        }
        m.appendTail(sb);
        return sb.toString().replace("${!", "${");
    }
}
