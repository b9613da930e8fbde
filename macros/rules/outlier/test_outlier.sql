{#- Generic test (use with severity warn: an outlier is information, not an error): rows whose
    value has a modified z-score |0.6745 * (x - median) / MAD| above `threshold` among the rows of
    the same partition (e.g. the same indicator and period type), in partitions of at least
    `min_count` values. -#}
{% test outlier(model, column_name, partition_by=[], threshold=3.5, min_count=5) %}
select *
from ({{ rule_outlier_scored(model, column_name, partition_by) }}) as scored
where {{ rule_outlier_violation(threshold, min_count) }}
{% endtest %}
