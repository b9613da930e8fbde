{#- dq_rule_checks branch of a domain rule: one item per indicator (dq_items_source); params
    domain_type and, as the type needs, codes (a|b|c), min_value, max_value (see
    rule_domain_violation). -#}
{% macro dq_check_domain(rule) -%}
    {%- set m = rule.missing -%}
    {%- set p = rule.params -%}
    {%- set domain_type = p.get('domain_type') -%}
    {%- set min_value = p.get('min_value', none) -%}
    {%- set max_value = p.get('max_value', none) -%}
    {%- if domain_type == 'yes_no' -%}
        {%- set described = 'in {0, 1}' -%}
        {%- set described_vi = 'thuộc {0, 1}' -%}
    {%- elif domain_type == 'code_list' -%}
        {%- set described = 'in {' ~ p.get('codes', '').split('|') | join(', ') ~ '}' -%}
        {%- set described_vi = 'thuộc {' ~ p.get('codes', '').split('|') | join(', ') ~ '}' -%}
    {%- elif domain_type == 'rate' -%}
        {%- set described = 'within ' ~ (min_value or 0) ~ '..' ~ (max_value or 100) -%}
        {%- set described_vi = 'trong khoảng ' ~ (min_value or 0) ~ '..' ~ (max_value or 100) -%}
    {%- elif domain_type == 'count' -%}
        {%- set described = 'a whole number >= 0' -%}
        {%- set described_vi = 'là số nguyên >= 0' -%}
    {%- else -%}
        {%- set described = 'within ' ~ (min_value if min_value is not none else '') ~ '..'
            ~ (max_value if max_value is not none else '') -%}
        {%- set described_vi = 'trong khoảng ' ~ (min_value if min_value is not none else '') ~ '..'
            ~ (max_value if max_value is not none else '') -%}
    {%- endif -%}
    {{ dq_check_select(
        rule, 'v.item_code', 'v.item_code',
        skipped=rule_domain_skipped('v.x', m),
        violated=rule_domain_violation('v.x', domain_type, p.get('codes', none), min_value, max_value, m),
        skip_reason="'missing: ' || v.item_code",
        observed=dq_json_object([('v.item_code', 'v.x')], keys_are_sql=true),
        expected="'" ~ described ~ "'",
        message="v.item_code || ' = ' || " ~ rule_number_text(rule_input('v.x', m)) ~ " || ' is not " ~ described ~ "'",
        message_vi="v.item_code || ' = ' || " ~ rule_number_text(rule_input('v.x', m)) ~ " || ' không "
            ~ described_vi ~ "'",
        columns=['v.item_code', 'v.x'],
        source=dq_items_source(rule.codes)) }}
{%- endmacro %}
