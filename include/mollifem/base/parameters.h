#ifndef mollifem_base_parameters_h
#define mollifem_base_parameters_h

#include <deal.II/base/bounding_box.h>
#include <deal.II/base/function_parser.h>
#include <deal.II/base/parameter_handler.h>

#include <map>
#include <string>
#include <vector>

namespace mollifem
{
  using namespace dealii;

  /**
   * Helpers shared by every module that declares or reads parameters.
   */
  namespace Parameters
  {
    /**
     * Read @p filename into @p prm. Every problem (missing file, unknown or
     * misspelled entry, value that does not match its pattern, unbalanced
     * subsections) raises ExcFile naming the file and, where deal.II
     * reports it, the line.
     */
    void
    parse_file(ParameterHandler &prm, const std::string &filename);

    /**
     * The names of the independent variables of expressions in @p dim space
     * dimensions: "x", "x,y" or "x,y,z", followed by ",t".
     */
    std::string
    expression_variables(const unsigned int dim);

    /**
     * Named constants every expression may use: pi.
     */
    const std::map<std::string, double> &
    expression_constants();

    /**
     * Split a comma-separated list of numbers; an empty string gives an empty
     * list. Raises ExcParameter naming @p parameter_path for anything that is
     * not a finite number.
     */
    std::vector<double>
    parse_numbers(const std::string &text, const std::string &parameter_path);

    /**
     * A box given as "lower corner : upper corner", coordinates separated by
     * commas ("x0, y0 : x1, y1"). Raises ExcParameter naming
     * @p parameter_path unless there are two corners of @p dim numbers each
     * with lower <= upper in every coordinate.
     */
    template <int dim>
    dealii::BoundingBox<dim>
    parse_box(const std::string &text, const std::string &parameter_path);

    /**
     * Check that @p expression is a valid expression in @p dim dimensions
     * (raises ExcParameter naming @p parameter_path otherwise).
     */
    void
    check_expression(const std::string &expression,
                     const std::string &parameter_path,
                     const unsigned int dim);

    /**
     * The full path of a parameter from its subsections and name, as used in
     * error messages: "Model/Heat/Time step".
     */
    std::string
    path(const std::vector<std::string> &subsections, const std::string &name);

    /**
     * Several experiments (for example several heat sources applied to the
     * same body) are described by one parameter file: every expression of
     * subsection Model may be a list of expressions separated by ';', one per
     * experiment, and a single expression is shared by all experiments.
     * Lists of expressions must all have the same length, the number of
     * experiments.
     *
     * An ExperimentScope makes the Expression objects constructed while it
     * exists pick the entry of its experiment from such lists, and counts
     * the experiments. Scopes nest; outside of any scope a list is an error
     * (its parameter is not per experiment). For example a study builds one
     * model per experiment:
     * @code
     * Parameters::ExperimentScope first(0);
     * auto model = ModelRegistry<dim>::create(name, prm);
     * const unsigned int n = first.n_experiments();
     * @endcode
     */
    class ExperimentScope
    {
    public:
      explicit ExperimentScope(const unsigned int experiment);
      ~ExperimentScope();
      ExperimentScope(const ExperimentScope &) = delete;
      ExperimentScope &
      operator=(const ExperimentScope &) = delete;

      /// The length of the lists met in this scope (1 if there was none).
      unsigned int
      n_experiments() const;

      /**
       * The entry of @p text for the experiment of the innermost scope, or
       * @p text itself if it is not a list. Raises ExcParameter naming
       * @p parameter_path for a list outside of any scope, a list whose
       * length differs from that of an earlier one, or an empty entry.
       */
      static std::string
      select(const std::string &text, const std::string &parameter_path);

    private:
      const unsigned int     experiment;
      unsigned int           list_length = 1;
      std::string            first_list_path;
      ExperimentScope *const enclosing;
    };
  } // namespace Parameters

  /**
   * A scalar function of space and time given as a muparser expression in
   * x[,y[,z]] and t, with the constants of Parameters::expression_constants().
   * Inside a Parameters::ExperimentScope the text may be a ';'-separated list
   * with one expression per experiment.
   *
   * Unlike FunctionParser, which reports syntax errors only when first
   * evaluated, the expression is checked on construction, and errors name the
   * parameter it came from.
   */
  template <int dim>
  class Expression : public FunctionParser<dim>
  {
  public:
    /**
     * @param expression The muparser expression.
     * @param parameter_path The parameter the expression was read from, for
     *   error messages (ExcParameter).
     * @param time Initial value of t.
     */
    Expression(const std::string &expression,
               const std::string &parameter_path,
               const double       time = 0.);

    /**
     * The value at @p p and time @p t (sets the time of the function first).
     */
    double
    evaluate(const Point<dim> &p, const double t);

    /**
     * The expression as given (of this experiment, for a list).
     */
    const std::string &
    text() const;

  private:
    std::string expression_text;
  };
} // namespace mollifem

#endif
