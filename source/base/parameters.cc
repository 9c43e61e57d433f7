#include <deal.II/base/numbers.h>
#include <deal.II/base/utilities.h>

#include <mollifem/base/exceptions.h>
#include <mollifem/base/parameters.h>

#include <cmath>
#include <fstream>
#include <iostream>
#include <sstream>

namespace mollifem
{
  namespace Parameters
  {
    void
    parse_file(ParameterHandler &prm, const std::string &filename)
    {
      {
        std::ifstream file(filename);
        AssertThrow(file.good(),
                    ExcFile(filename,
                                 0,
                                 "the parameter file does not exist or cannot "
                                 "be read."));
      }
      try
        {
          prm.parse_input(filename,
                          /*last_line=*/"",
                          /*skip_undefined=*/false,
                          /*assert_mandatory_entries_are_found=*/true);
        }
      catch (const std::exception &exception)
        {
          // deal.II names the file and line as "Line <N> of file <F>: ..."
          // (some of its messages drop the '>' after F); restate it in the
          // form all input errors of mollifem share.
          std::string       message = user_message(exception);
          const std::string prefix  = "Line <";
          unsigned int      line    = 0;
          if (message.rfind(prefix, 0) == 0)
            {
              line = std::stoi(message.substr(prefix.size()));
              const auto file_start = message.find("of file <");
              const auto text_start =
                (file_start == std::string::npos) ?
                  std::string::npos :
                  message.find(": ", file_start);
              if (text_start != std::string::npos)
                message = message.substr(text_start + 2);
            }
          AssertThrow(false, ExcFile(filename, line, message));
        }
    }



    std::string
    expression_variables(const unsigned int dim)
    {
      const std::vector<std::string> names = {"x", "y", "z"};
      std::string                    result;
      for (unsigned int d = 0; d < dim; ++d)
        result += names[d] + ",";
      return result + "t";
    }



    const std::map<std::string, double> &
    expression_constants()
    {
      static const std::map<std::string, double> constants = {
        {"pi", numbers::PI}};
      return constants;
    }



    std::vector<double>
    parse_numbers(const std::string &text, const std::string &parameter_path)
    {
      std::vector<double> numbers;
      if (Utilities::trim(text).empty())
        return numbers;
      for (const std::string &entry :
           Utilities::split_string_list(text, ','))
        {
          char *      end   = nullptr;
          const char *begin = entry.c_str();
          const double value = std::strtod(begin, &end);
          AssertThrow(end != begin && *end == '\0' && std::isfinite(value),
                      ExcParameter(parameter_path,
                                   "'" + entry +
                                     "' is not a finite number (the value "
                                     "must be a comma-separated list of "
                                     "numbers)."));
          numbers.push_back(value);
        }
      return numbers;
    }



    template <int dim>
    BoundingBox<dim>
    parse_box(const std::string &text, const std::string &parameter_path)
    {
      const auto corners = Utilities::split_string_list(text, ':');
      AssertThrow(corners.size() == 2,
                  ExcParameter(parameter_path,
                               "expected two corners, 'x0,y0 : x1,y1'."));
      Point<dim> lower, upper;
      for (unsigned int c = 0; c < 2; ++c)
        {
          const auto coordinates = parse_numbers(corners[c], parameter_path);
          AssertThrow(coordinates.size() == dim,
                      ExcParameter(parameter_path,
                                   "each corner needs " + std::to_string(dim) +
                                     " coordinates."));
          for (unsigned int d = 0; d < dim; ++d)
            (c == 0 ? lower : upper)[d] = coordinates[d];
        }
      for (unsigned int d = 0; d < dim; ++d)
        AssertThrow(lower[d] <= upper[d],
                    ExcParameter(parameter_path,
                                 "the first corner must be the lower one."));
      return BoundingBox<dim>(std::make_pair(lower, upper));
    }



    template BoundingBox<1>
    parse_box(const std::string &, const std::string &);
    template BoundingBox<2>
    parse_box(const std::string &, const std::string &);
    template BoundingBox<3>
    parse_box(const std::string &, const std::string &);



    void
    check_expression(const std::string &expression,
                     const std::string &parameter_path,
                     const unsigned int dim)
    {
      switch (dim)
        {
          case 1:
            Expression<1>(expression, parameter_path);
            break;
          case 2:
            Expression<2>(expression, parameter_path);
            break;
          default:
            Expression<3>(expression, parameter_path);
        }
    }



    std::string
    path(const std::vector<std::string> &subsections, const std::string &name)
    {
      std::string result;
      for (const auto &s : subsections)
        result += s + "/";
      return result + name;
    }



    namespace
    {
      /// The innermost ExperimentScope of this thread.
      thread_local ExperimentScope *active_scope = nullptr;
    } // namespace



    ExperimentScope::ExperimentScope(const unsigned int experiment)
      : experiment(experiment)
      , enclosing(active_scope)
    {
      active_scope = this;
    }



    ExperimentScope::~ExperimentScope()
    {
      active_scope = enclosing;
    }



    unsigned int
    ExperimentScope::n_experiments() const
    {
      return list_length;
    }



    std::string
    ExperimentScope::select(const std::string &text,
                            const std::string &parameter_path)
    {
      const std::vector<std::string> entries =
        Utilities::split_string_list(text, ';');
      if (entries.size() <= 1)
        return text;
      AssertThrow(active_scope != nullptr,
                  ExcParameter(parameter_path,
                               "a list of expressions separated by ';' (one "
                               "per experiment) is allowed only for the "
                               "expressions of subsection Model."));
      ExperimentScope &scope = *active_scope;
      if (scope.list_length == 1)
        {
          scope.list_length     = entries.size();
          scope.first_list_path = parameter_path;
        }
      AssertThrow(entries.size() == scope.list_length,
                  ExcParameter(parameter_path,
                               "this list has " +
                                 std::to_string(entries.size()) +
                                 " expressions (one per experiment), but " +
                                 scope.first_list_path + " has " +
                                 std::to_string(scope.list_length) +
                                 "; give every list the same length, or a "
                                 "single expression shared by all "
                                 "experiments."));
      AssertThrow(scope.experiment < entries.size(),
                  ExcParameter(parameter_path,
                               "there is no expression for experiment " +
                                 std::to_string(scope.experiment + 1) + "."));
      for (unsigned int e = 0; e < entries.size(); ++e)
        AssertThrow(!entries[e].empty(),
                    ExcParameter(parameter_path,
                                 "the expression of experiment " +
                                   std::to_string(e + 1) + " is empty."));
      return entries[scope.experiment];
    }
  } // namespace Parameters



  template <int dim>
  Expression<dim>::Expression(const std::string &expression,
                              const std::string &parameter_path,
                              const double       time)
    : FunctionParser<dim>(1, time)
    , expression_text(
        Parameters::ExperimentScope::select(expression, parameter_path))
  {
    AssertThrow(!Utilities::trim(expression).empty(),
                ExcParameter(parameter_path, "the expression is empty."));
    // muparser reports a syntax error on first evaluation and deal.II prints
    // it to std::cerr before throwing: evaluate once here, quietly, so that a
    // broken expression stops the run during parameter parsing with a message
    // that names the parameter.
    std::streambuf *const cerr_buffer = std::cerr.rdbuf(nullptr);
    try
      {
        this->initialize(Parameters::expression_variables(dim),
                         expression_text,
                         Parameters::expression_constants(),
                         /*time_dependent=*/true);
        this->value(Point<dim>());
        std::cerr.rdbuf(cerr_buffer);
      }
    catch (const std::exception &exception)
      {
        std::cerr.rdbuf(cerr_buffer);
        AssertThrow(false,
                    ExcParameter(parameter_path,
                                 "the expression '" + expression_text +
                                   "' cannot be evaluated (variables: " +
                                   Parameters::expression_variables(dim) +
                                   "; constants: pi): " +
                                   user_message(exception)));
      }
  }



  template <int dim>
  double
  Expression<dim>::evaluate(const Point<dim> &p, const double t)
  {
    this->set_time(t);
    return this->value(p);
  }



  template <int dim>
  const std::string &
  Expression<dim>::text() const
  {
    return expression_text;
  }



  template class Expression<1>;
  template class Expression<2>;
  template class Expression<3>;
} // namespace mollifem
