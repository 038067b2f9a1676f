package org.prune4j.exchange;

import java.util.List;
import java.util.Map;

/** The contents of a model file: its arrays in order and its string metadata. */
public record ArrayFile(List<NamedArray> arrays, Map<String, String> metadata) {
    public ArrayFile {
        arrays = List.copyOf(arrays);
        metadata = Map.copyOf(metadata);
    }

    public NamedArray array(String name) {
        return arrays.stream().filter(a -> a.name().equals(name)).findFirst().orElse(null);
    }
}
