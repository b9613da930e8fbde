{#- The text without Vietnamese diacritics ("Vĩnh Châu" -> "Vinh Chau", "Đắk Lắk" -> "Dak Lak"): every
    precomposed (NFC) Latin letter with a Vietnamese tone or vowel mark, and đ/Đ, replaced by its
    base letter with translate(), which DuckDB and PostgreSQL both have (no unaccent extension). -#}
{% macro ascii_fold(expr) -%}
    translate(
        {{ expr }},
        'ÀÁÂÃÈÉÊÌÍÎÒÓÔÕÙÚÛÝàáâãèéêìíîòóôõùúûýĂăĔĕĨĩĬĭŎŏŨũŬŭŶŷƠơƯưẠạẢảẤấẦầẨẩẪẫẬậẮắẰằẲẳẴẵẶặẸẹẺẻẼẽẾếỀềỂểỄễỆệỈỉỊịỌọỎỏỐốỒồỔổỖỗỘộỚớỜờỞởỠỡỢợỤụỦủỨứỪừỬửỮữỰựỲỳỴỵỶỷỸỹđĐ',
        'AAAAEEEIIIOOOOUUUYaaaaeeeiiioooouuuyAaEeIiIiOoUuUuYyOoUuAaAaAaAaAaAaAaAaAaAaAaAaEeEeEeEeEeEeEeEeIiIiOoOoOoOoOoOoOoOoOoOoOoOoUuUuUuUuUuUuUuYyYyYyYydD'
    )
{%- endmacro %}
