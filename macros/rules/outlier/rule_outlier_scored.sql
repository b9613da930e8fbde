{#- A select over `relation` (a relation or a parenthesised query) that adds, per row, the modified
    z-score of `value` within its partition: z = 0.6745 * (x - median) / MAD, MAD the median of
    |x - median|; when MAD is 0, z = (x - median) / (1.253314 * mean |x - median|) (IBM's fallback);
    null when both are 0. Also adds __outlier_median, __outlier_mad and __outlier_n (values present
    in the partition). -#}
{% macro rule_outlier_scored(relation, value, partition_by=[]) -%}
    {%- set keys = partition_by if partition_by is not string else [partition_by] -%}
    with outlier_src as (
        select
            src.*,
            cast({{ value }} as double precision) as __outlier_x
        from {{ relation }} as src
    ),

    outlier_center as (
        select
            {% for k in keys %}{{ k }}, {% endfor %}
            {{ rule_median('__outlier_x') }} as __outlier_median,
            count(__outlier_x) as __outlier_n
        from outlier_src
        where __outlier_x is not null
        {% if keys %}group by {{ keys | join(', ') }}{% endif %}
    ),

    outlier_spread as (
        select
            {% for k in keys %}s.{{ k }}, {% endfor %}
            {{ rule_median('abs(s.__outlier_x - c.__outlier_median)') }} as __outlier_mad,
            avg(abs(s.__outlier_x - c.__outlier_median)) as __outlier_meanad
        from outlier_src as s
        inner join outlier_center as c
            on {% for k in keys %}s.{{ k }} is not distinct from c.{{ k }} and {% endfor %}1 = 1
        where s.__outlier_x is not null
        {% if keys %}group by {% for k in keys %}s.{{ k }}{% if not loop.last %}, {% endif %}{% endfor %}{% endif %}
    )

    select
        s.*,
        c.__outlier_median,
        c.__outlier_n,
        p.__outlier_mad,
        case
            when p.__outlier_mad > 0
                then 0.6745 * (s.__outlier_x - c.__outlier_median) / p.__outlier_mad
            when p.__outlier_meanad > 0
                then (s.__outlier_x - c.__outlier_median) / (1.253314 * p.__outlier_meanad)
        end as __outlier_z
    from outlier_src as s
    left join outlier_center as c
        on {% for k in keys %}s.{{ k }} is not distinct from c.{{ k }} and {% endfor %}1 = 1
    left join outlier_spread as p
        on {% for k in keys %}s.{{ k }} is not distinct from p.{{ k }} and {% endfor %}1 = 1
{%- endmacro %}
