{#- The rules of seeds/dq_rules.csv as a list of dicts, read at run time with run_query (the models
    that call it depend on ref('dq_rules'), so the seed is loaded first in `dbt build`). Each dict:
    rule_id, rule_kind, codes (list, in rule order), severity, missing, tolerance (number),
    params (dict from 'k=v;k=v'), description_en. Empty while dbt only parses the project, and
    when the seed is not loaded yet on a command that does not build (compile, docs generate,
    sqlfluff on a fresh warehouse): the models then compile to their empty placeholder. -#}
{% macro dq_rule_catalogue() -%}
    {%- set rules = [] -%}
    {%- set relation = ref('dq_rules') -%}
    {%- if execute and load_relation(relation) is none and flags.WHICH in ('build', 'run', 'test') -%}
        {{ exceptions.raise_compiler_error("seed dq_rules is not loaded in " ~ relation ~ ": run `dbt seed` first") }}
    {%- endif -%}
    {%- if execute and load_relation(relation) is not none -%}
        {%- set table = run_query(
            'select rule_id, rule_kind, indicator_codes, severity, missing_strategy, tolerance, params, '
            ~ 'description_en from ' ~ relation ~ ' order by rule_id') -%}
        {%- for row in table.rows -%}
            {%- set params = {} -%}
            {%- for pair in (row['params'] or '').split(';') if pair | trim != '' -%}
                {%- set kv = pair.split('=', 1) -%}
                {%- do params.update({kv[0] | trim: (kv[1] | trim) if kv | length > 1 else ''}) -%}
            {%- endfor -%}
            {%- do rules.append({
                'rule_id': row['rule_id'],
                'rule_kind': row['rule_kind'],
                'codes': row['indicator_codes'].split('|') | map('trim') | list,
                'severity': row['severity'],
                'missing': row['missing_strategy'],
                'tolerance': row['tolerance'] if row['tolerance'] is not none else 0,
                'params': params,
                'description_en': row['description_en'],
            }) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(rules) }}
{%- endmacro %}
