{#- Generic test: rows whose reported rate disagrees with numerator / denominator * scale
    (see rule_rate_reconciliation_violation for the rounding/truncation and tolerance rule). -#}
{% test rate_reconciliation(model, rate, numerator, denominator, missing='skip_if_any_missing',
        tolerance=0, decimals=none, scale=100) %}
select *
from {{ model }}
where {{ rule_rate_reconciliation_violation(rate, numerator, denominator, missing, tolerance, decimals, scale) }}
{% endtest %}
