{#- on-run-start hook: stop `dbt build`, `dbt run` and `dbt test` at once when the warehouse has no
    raw schema (nothing ingested yet), instead of one "schema raw does not exist" error per model.
    Commands that do not read raw (parse, ls, compile, docs generate, seed, debug) are left alone,
    so they work on an empty warehouse. -#}
{% macro require_raw_schema() -%}
    {%- if execute and flags.WHICH in ('build', 'run', 'test') -%}
        {%- set found = run_query(
            "select count(*) from information_schema.schemata"
            ~ " where schema_name = 'raw' and catalog_name = '" ~ target.database ~ "'") -%}
        {%- if found.columns[0].values()[0] == 0 -%}
            {%- set where = target.path if target.type == 'duckdb'
                else target.host ~ ':' ~ target.port ~ '/' ~ target.database -%}
            {{ exceptions.raise_compiler_error(
                "schema raw not found in " ~ where ~ ": run `cchc ingest` first") }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
