{#- What the rows of the incremental harmonization models are a function of, besides a report's own
    raw rows: every seed file and the SQL of every staging and intermediate model and of the marts
    the facts are built from (their checksums in the manifest). A change to any of them changes the
    fingerprint, and the incremental models then rebuild every report instead of only the new ones
    (the same as `dbt build --full-refresh`, without having to remember it). -#}
{% macro harmonization_fingerprint() -%}
    {%- set parts = [] -%}
    {%- if execute -%}
        {#- (a unit test's context has no graph: its fingerprint is that of nothing) #}
        {%- for node in graph.get('nodes', {}).values() | sort(attribute='unique_id') -%}
            {%- if node.resource_type == 'seed'
                or (node.resource_type == 'model' and node.fqn[1] in ('staging', 'intermediate'))
                or node.name in ('dim_indicator', 'dim_report', 'dim_reporting_unit', 'fct_indicator_values') -%}
                {%- do parts.append(node.unique_id ~ '=' ~ node.checksum.checksum) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {{- return(local_md5(parts | join('|'))) -}}
{%- endmacro %}
