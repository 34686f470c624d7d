package dev.suite.bench;

import java.util.Arrays;
import java.util.List;

final class Stats {
    private Stats() {}

    static double percentile(List<Double> values, double p) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        int idx = (int) Math.ceil(p / 100.0 * v.length) - 1;
        return v[Math.max(0, Math.min(v.length - 1, idx))];
    }

    static double percentile(long[] nanos, double p) {
        long[] v = nanos.clone();
        Arrays.sort(v);
        if (v.length == 0) {
            return Double.NaN;
        }
        int idx = (int) Math.ceil(p / 100.0 * v.length) - 1;
        return v[Math.max(0, Math.min(v.length - 1, idx))] / 1e6;
    }
}
