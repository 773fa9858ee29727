"""The functions the SQL console allows: calculations on values, nothing that reaches a file,
the network, the server's settings or another schema.

Names are DuckDB's (the console's dialect), lower case; a name missing here is refused, so a
function added to DuckDB or PostgreSQL later is refused until someone reviews it and adds it.
``SQLGLOT_NAMES`` holds sqlglot's own names for some of the same functions (the parser turns
``strftime`` into ``time_to_str``, ``list_value`` into ``array`` …): a query is checked on
sqlglot's tree, and ``tests/warehouse/test_console_functions.py`` proves every DuckDB name
below is accepted and every other DuckDB function refused.
"""

from __future__ import annotations

_BY_KIND = {
    "maths": """
    abs acos acosh add asin asinh atan atan2 atanh bit_count cbrt ceil ceiling cos
    cosh cot degrees divide even exp factorial fdiv floor fmod gamma gcd greatest
    greatest_common_divisor isfinite isinf isnan lcm least least_common_multiple
    lgamma ln log log10 log2 mod multiply nextafter pi pow power radians random
    round round_even roundbankers sign signbit sin sinh sqrt subtract tan tanh trunc
    xor
    """,
    "text": """
    array_to_string ascii base64 bit_length char_length character_length chr concat
    concat_ws contains damerau_levenshtein decode editdist3 encode ends_with format
    format_bytes from_base64 from_binary from_hex gen_random_uuid hamming hash hex
    ilike_escape instr jaccard jaro_similarity jaro_winkler_similarity lcase left
    left_grapheme len length length_grapheme levenshtein like_escape lower lpad
    ltrim md5 md5_number mismatches nfc_normalize not_ilike_escape not_like_escape
    octet_length ord overlay position prefix printf regexp_escape regexp_extract
    regexp_extract_all regexp_full_match regexp_matches regexp_replace
    regexp_split_to_array repeat replace reverse right right_grapheme rpad rtrim
    sha1 sha256 split split_part starts_with str_split str_split_regex string_split
    string_split_regex string_to_array strip_accents strlen strpos substr substring
    substring_grapheme suffix to_base64 to_binary to_hex translate trim ucase unhex
    unicode upper url_decode url_encode uuid uuidv4 uuidv7
    """,
    "dates and times": """
    age century current_date current_time current_timestamp date_add date_diff
    date_part date_sub date_trunc datediff datepart datesub datetrunc day dayname
    dayofmonth dayofweek dayofyear days_in_month decade epoch epoch_ms epoch_ns
    epoch_us era extract get_current_time get_current_timestamp hour isodow isoyear
    julian last_day make_date make_time make_timestamp make_timestamp_ms
    make_timestamp_ns make_timestamptz microsecond millennium millisecond minute
    month monthname nanosecond normalized_interval now quarter second strftime
    strptime time_bucket timezone timezone_hour timezone_minute to_centuries to_days
    to_decades to_hours to_microseconds to_millennia to_milliseconds to_minutes
    to_months to_quarters to_seconds to_timestamp to_weeks to_years today
    transaction_timestamp try_strptime week weekday weekofyear year yearweek
    """,
    "aggregates": """
    any_value approx_count_distinct approx_quantile approx_top_k arbitrary arg_max
    arg_max_null arg_min arg_min_null argmax argmin array_agg avg bit_and bit_or
    bit_xor bool_and bool_or corr count count_if count_star countif covar_pop
    covar_samp entropy favg first fsum geomean geometric_mean group_concat histogram
    kahan_sum kurtosis kurtosis_pop last list listagg mad max max_by mean median min
    min_by mode percentile_cont percentile_disc product quantile quantile_cont
    quantile_disc regr_avgx regr_avgy regr_count regr_intercept regr_r2 regr_slope
    regr_sxx regr_sxy regr_syy reservoir_quantile sem skewness stddev stddev_pop
    stddev_samp string_agg sum sumkahan var_pop var_samp variance wavg weighted_avg
    """,
    "window functions": """
    cume_dist dense_rank fill first_value lag last_value lead nth_value ntile
    percent_rank rank rank_dense row_number
    """,
    "conditionals, casts and types": """
    case cast coalesce if ifnull nullif try_cast typeof
    """,
    "json": """
    array_to_json from_json from_json_strict json json_array json_array_length
    json_contains json_exists json_extract json_extract_path json_extract_path_text
    json_extract_string json_group_array json_group_object json_keys
    json_merge_patch json_object json_pretty json_quote json_structure
    json_transform json_transform_strict json_type json_valid json_value row_to_json
    to_json
    """,
    "lists, structs and maps": """
    aggregate array_aggr array_aggregate array_append array_apply array_cat
    array_concat array_contains array_distinct array_extract array_filter
    array_grade_up array_has array_has_all array_has_any array_indexof
    array_intersect array_length array_pop_back array_pop_front array_position
    array_prepend array_push_back array_push_front array_reduce array_resize
    array_reverse array_reverse_sort array_select array_slice array_sort
    array_transform array_unique array_value array_where array_zip cardinality
    element_at filter flatten generate_series grade_up list_aggr list_aggregate
    list_any_value list_append list_apply list_approx_count_distinct list_avg
    list_bit_and list_bit_or list_bit_xor list_bool_and list_bool_or list_cat
    list_concat list_contains list_count list_distinct list_element list_entropy
    list_extract list_filter list_first list_grade_up list_has list_has_all
    list_has_any list_histogram list_indexof list_intersect list_kurtosis list_last
    list_mad list_max list_median list_min list_mode list_pack list_position
    list_prepend list_product list_reduce list_resize list_reverse list_reverse_sort
    list_select list_sem list_skewness list_slice list_sort list_stddev_pop
    list_stddev_samp list_string_agg list_sum list_transform list_unique list_value
    list_var_pop list_var_samp list_where list_zip map map_concat map_contains
    map_contains_entry map_contains_value map_entries map_extract map_extract_value
    map_from_entries map_keys map_values range reduce row struct_concat
    struct_contains struct_extract struct_extract_at struct_has struct_insert
    struct_keys struct_pack struct_update struct_values unnest
    """,
}


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


FUNCTIONS: frozenset[str] = frozenset().union(*(_names(names) for names in _BY_KIND.values()))

SQLGLOT_NAMES: frozenset[str] = _names(
    """
    approx_distinct array array_contains_all array_max array_min array_overlaps array_size
    bitwise_and_agg bitwise_or_agg bitwise_xor_agg columns date_bin date_from_parts
    day_of_month day_of_week day_of_year dayofweek_iso explode is_inf is_nan j_s_o_n_array
    j_s_o_n_object jarowinkler_similarity json_extract_scalar logical_and logical_or pad
    parse_json rand regexp_like regexp_split sha sha2 str_position str_to_time struct
    time_from_parts time_to_str time_to_unix timestamp_from_parts timestamp_trunc transform
    unix_to_time variance_pop week_of_year
    and or xor exists collate array_contained_by array_contains regexp_i_like
    regexp_full_match json_array_contains
    """
)

# Functions that may stand where a table does (FROM, JOIN, LATERAL): they make rows out of
# values, and read nothing.
TABLE_FUNCTIONS: frozenset[str] = frozenset(
    {"range", "generate_series", "unnest", "explode", "json_each", "json_tree"}
)

KINDS: tuple[str, ...] = tuple(_BY_KIND)
