package dev.suite.bench.crac;

/**
 * A CRaC resource as org.crac's compat layer expects it of {@code <package>.Resource}: an interface (org.crac makes a
 * proxy of it for each resource a function registers) with the two hooks.
 */
public interface Resource {
    void beforeCheckpoint(Context<? extends Resource> context) throws Exception;

    void afterRestore(Context<? extends Resource> context) throws Exception;
}
