{#- True when a value lies outside its domain (a missing value never does; under missing_as_zero it
    is checked as 0). domain_type:
      yes_no    -> value in {0, 1}
      code_list -> value in `codes` (a list, or a '|'-separated string: '0|1|2')
      rate      -> min_value <= value <= max_value (default 0..100)
      count     -> whole and >= 0 (and <= max_value when given)
      range     -> min_value <= value <= max_value (either bound optional) -#}
{% macro rule_domain_violation(value, domain_type, codes=none, min_value=none, max_value=none,
        missing='skip_if_any_missing') -%}
    {%- set v = rule_input(value, missing) -%}
    {%- if domain_type == 'yes_no' -%}
        {%- set cond = v ~ ' not in (0, 1)' -%}
    {%- elif domain_type == 'code_list' -%}
        {%- if codes is none or codes == '' -%}
            {{ exceptions.raise_compiler_error("domain code_list needs codes") }}
        {%- endif -%}
        {%- set code_list = codes.split('|') if codes is string else codes -%}
        {%- set cond = v ~ ' not in (' ~ code_list | map('string') | map('trim') | join(', ') ~ ')' -%}
    {%- elif domain_type == 'rate' -%}
        {%- set lo = 0 if min_value is none else min_value -%}
        {%- set hi = 100 if max_value is none else max_value -%}
        {%- set cond = '(' ~ v ~ ' < ' ~ lo ~ ' or ' ~ v ~ ' > ' ~ hi ~ ')' -%}
    {%- elif domain_type == 'count' -%}
        {%- set cond = '(' ~ v ~ ' < 0 or ' ~ v ~ ' <> floor(' ~ v ~ ')'
            ~ ('' if max_value is none else ' or ' ~ v ~ ' > ' ~ max_value) ~ ')' -%}
    {%- elif domain_type == 'range' -%}
        {%- set parts = [] -%}
        {%- if min_value is not none %}{% do parts.append(v ~ ' < ' ~ min_value) %}{% endif -%}
        {%- if max_value is not none %}{% do parts.append(v ~ ' > ' ~ max_value) %}{% endif -%}
        {%- set cond = '(' ~ (parts | join(' or ') if parts else '1 = 0') ~ ')' -%}
    {%- else -%}
        {{ exceptions.raise_compiler_error(
            "domain type '" ~ domain_type ~ "' is not yes_no, code_list, rate, count or range") }}
    {%- endif -%}
    ({{ v }} is not null and {{ cond }})
{%- endmacro %}
